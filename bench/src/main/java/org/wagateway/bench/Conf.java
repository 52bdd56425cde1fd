package org.wagateway.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The load generator's arguments: key=value pairs, as bench/run.sh passes them. */
final class Conf {

    private final Map<String, String> values;

    Conf(Map<String, String> values) {
        this.values = values;
    }

    static Conf parse(String[] args) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value: " + arg);
            }
            conf.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new Conf(conf);
    }

    String get(String key) {
        return values.get(key);
    }

    String get(String key, String def) {
        return values.getOrDefault(key, def);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    int intValue(String key, int def) {
        return Integer.parseInt(values.getOrDefault(key, String.valueOf(def)));
    }

    double doubleValue(String key, double def) {
        return Double.parseDouble(values.getOrDefault(key, String.valueOf(def)));
    }
}
