package org.wagateway.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The beans table of docs/configuration.md ("Routes") names exactly the beans the route files call, so a reader
 * following a flow finds every bean it uses there, and none that no route uses.
 */
class RouteBeansDocsTest {

    /** How a route names a bean: a bean or method step's ref, an idempotent repository, a redelivery processor. */
    private static final Pattern BEAN_IN_ROUTE =
            Pattern.compile("^\\s*(?:ref|idempotentRepository|onRedeliveryRef):\\s*([A-Za-z][A-Za-z0-9]*)\\s*$",
                    Pattern.MULTILINE);
    /** A row of the beans table: {@code | `name` | `package.Class` | ...}. */
    private static final Pattern BEAN_ROW = Pattern.compile("^\\| `([A-Za-z][A-Za-z0-9]*)` \\| `[a-z.]+\\.[A-Z]\\w*` \\|",
            Pattern.MULTILINE);

    @Test
    void theDocsListEveryBeanTheRoutesCallAndNoOther() throws IOException {
        Set<String> inRoutes = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Matcher matcher = BEAN_IN_ROUTE.matcher(Files.readString(file));
                while (matcher.find()) {
                    inRoutes.add(matcher.group(1));
                }
            }
        }
        Set<String> inDocs = new TreeSet<>();
        Matcher matcher = BEAN_ROW.matcher(Files.readString(Path.of("docs", "configuration.md")));
        while (matcher.find()) {
            inDocs.add(matcher.group(1));
        }

        assertThat(inRoutes).as("beans the routes call").isNotEmpty();
        assertThat(inDocs).as("beans in the table of docs/configuration.md (add a row for each missing one, "
                + "remove the rows of beans no route calls)").isEqualTo(inRoutes);
    }
}
