package org.wagateway.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The names shared by the route files and Java cannot drift apart: every header, exchange property and route id
 * the YAML under {@code routes/} uses is declared in {@link ExchangeContract}, every constant marked
 * {@link ExchangeContract.InRoutes} is used there, and no Java-only constant is.
 */
class ExchangeContractTest {

    private static final Pattern PROPERTY_IN_SIMPLE = Pattern.compile("\\$\\{exchangeProperty[.\\[]([A-Za-z0-9_-]+)");
    private static final Pattern HEADER_IN_SIMPLE = Pattern.compile("\\$\\{(?:in\\.)?headers?[.\\[]([A-Za-z0-9_-]+)");

    private static final Set<String> headers = new TreeSet<>();
    private static final Set<String> properties = new TreeSet<>();
    private static final Set<String> routeIds = new TreeSet<>();

    @BeforeAll
    static void readRoutes() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("routes"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file)) {
                walk(new Yaml().load(reader), null);
            }
        }
    }

    private static void walk(Object node, String parentKey) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (value instanceof String text) {
                    collect(parentKey, name, text);
                }
                walk(value, name);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, parentKey));
        }
    }

    private static void collect(String step, String key, String text) {
        if ("name".equals(key) && ("setHeader".equals(step) || "removeHeader".equals(step))) {
            headers.add(text);
        } else if ("name".equals(key) && ("setProperty".equals(step) || "removeProperty".equals(step))) {
            properties.add(text);
        } else if ("id".equals(key) && ("route".equals(step) || "routeConfiguration".equals(step))) {
            routeIds.add(text);
        } else if ("routeConfigurationId".equals(key)) {
            routeIds.add(text);
        }
        find(PROPERTY_IN_SIMPLE, text, properties);
        find(HEADER_IN_SIMPLE, text, headers);
    }

    private static void find(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    @Test
    void headersOfTheRoutesAreTheContractsHeaders() throws IllegalAccessException {
        assertThat(headers).isNotEmpty();
        assertThat(headers).containsExactlyInAnyOrderElementsOf(declared(ExchangeContract.Header.class, true));
        assertThat(headers).doesNotContainAnyElementsOf(declared(ExchangeContract.Header.class, false));
    }

    @Test
    void propertiesOfTheRoutesAreTheContractsProperties() throws IllegalAccessException {
        assertThat(properties).isNotEmpty();
        assertThat(properties).containsExactlyInAnyOrderElementsOf(declared(ExchangeContract.Property.class, true));
        assertThat(properties).doesNotContainAnyElementsOf(declared(ExchangeContract.Property.class, false));
    }

    @Test
    void routeIdsOfTheRoutesAreTheContractsRouteIds() throws IllegalAccessException {
        assertThat(routeIds).isNotEmpty();
        assertThat(routeIds).containsExactlyInAnyOrderElementsOf(declared(ExchangeContract.RouteId.class, true));
        assertThat(routeIds).doesNotContainAnyElementsOf(declared(ExchangeContract.RouteId.class, false));
    }

    @Test
    void everyConstantSaysWhetherTheRoutesUseIt() throws IllegalAccessException {
        // a name is declared once per holder: two constants of one value would be two names for one thing
        for (Class<?> holder : ExchangeContract.class.getDeclaredClasses()) {
            if (holder.isAnnotation()) {
                continue;
            }
            Set<String> all = new TreeSet<>(declared(holder, true));
            all.addAll(declared(holder, false));
            assertThat(all).as(holder.getSimpleName()).hasSize(constants(holder).size());
        }
    }

    private static Set<String> declared(Class<?> holder, boolean inRoutes) throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : constants(holder)) {
            if (field.isAnnotationPresent(ExchangeContract.InRoutes.class) == inRoutes) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }

    private static List<Field> constants(Class<?> holder) {
        return Stream.of(holder.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class).toList();
    }
}
