package org.wagateway.config;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Makes the field initialisers of the {@code @ConfigurationProperties} classes under {@code org.wagateway} the
 * defaults of their keys in the Spring {@code Environment} too, as its last property source
 * ({@value #SOURCE_NAME}). The classes are the one place a default is written; without this source the keys read
 * outside them, by the Camel routes ({@code {{gateway.queues.ingest}}}) and by other settings
 * ({@code ${gateway.data-dir}} in {@code spring.datasource.url}), would have no value unless ops set one. Any
 * other source (arguments, environment variables, an {@code application.yaml}) comes first and wins.
 *
 * <p>Each class is made with its no-argument constructor and read through its getters: a property with a setter
 * is a key, a getter-only property whose value is one of the gateway's own classes is a group of keys (its
 * nested class), anything else (a derived {@code isEnabled()}) is not a key. Unset values (null, an empty list or
 * map) get no entry, so a placeholder of an unset key still fails loudly.
 */
public class PropertyDefaults implements EnvironmentPostProcessor, Ordered {

    public static final String SOURCE_NAME = "gatewayPropertyDefaults";

    private static final String BASE_PACKAGE = "org.wagateway";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults()));
    }

    /** After the config files are loaded (nothing here depends on them; it only has to come last). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Every default of every {@code @ConfigurationProperties} class under {@code org.wagateway}, by key. */
    public static Map<String, Object> defaults() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Object> defaults = new TreeMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(BASE_PACKAGE)) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(),
                    PropertyDefaults.class.getClassLoader());
            defaults.putAll(defaultsOf(type));
        }
        return defaults;
    }

    /** The defaults of one {@code @ConfigurationProperties} class, under its prefix. */
    public static Map<String, Object> defaultsOf(Class<?> type) {
        ConfigurationProperties annotation = MergedAnnotations.from(type).get(ConfigurationProperties.class)
                .synthesize();
        String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
        return valuesOf(prefix, BeanUtils.instantiateClass(type));
    }

    /** The values of one settings object as property texts by key (unset ones left out). */
    public static Map<String, Object> valuesOf(String prefix, Object settings) {
        Map<String, Object> values = new TreeMap<>();
        flatten(prefix, settings, values);
        return values;
    }

    private static void flatten(String prefix, Object bean, Map<String, Object> into) {
        BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean);
        for (PropertyDescriptor property : wrapper.getPropertyDescriptors()) {
            if (property.getReadMethod() == null || property.getName().equals("class")) {
                continue;
            }
            String key = prefix + "." + kebab(property.getName());
            Object value = wrapper.getPropertyValue(property.getName());
            if (isGroup(value)) {
                flatten(key, value, into);
            } else if (property.getWriteMethod() != null) {
                put(key, value, into);
            }
        }
    }

    private static void put(String key, Object value, Map<String, Object> into) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, entry) -> put(key + "[" + name + "]", entry, into));
        } else if (value instanceof Collection<?> list) {
            if (!list.isEmpty()) {
                into.put(key, list.stream().map(PropertyDefaults::text).collect(Collectors.joining(",")));
            }
        } else if (value != null) {
            into.put(key, text(value));
        }
    }

    /** A nested class of settings: one of the gateway's own, not a value such as an enum. */
    private static boolean isGroup(Object value) {
        return value != null && !value.getClass().isEnum()
                && value.getClass().getName().startsWith(BASE_PACKAGE + ".");
    }

    /** The value as written in the documentation and accepted by Spring's binder ({@code 5s}, {@code 32MB}). */
    public static String text(Object value) {
        if (value instanceof Duration duration) {
            return durationText(duration);
        }
        if (value instanceof DataSize size) {
            return dataSizeText(size);
        }
        return String.valueOf(value);
    }

    private static String durationText(Duration duration) {
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long ms = duration.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static String dataSizeText(DataSize size) {
        long bytes = size.toBytes();
        String[] units = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    /** {@code dataDir} → {@code data-dir}, as Spring's canonical property names are written. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
