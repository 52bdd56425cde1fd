package org.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages depend on each other one way only: no two packages need each other, directly or round
 * a longer loop. Read from the sources (imports and qualified names), which also sees the constants the compiler
 * copies into the class files.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE =
            Pattern.compile("^package (org\\.wagateway(?:\\.[a-z0-9]+)*);", Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");
    private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.wagateway(?:\\.[a-z0-9]+)*)\\.[A-Z*]");

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).containsKeys("org.wagateway.webhook", "org.wagateway.security");
        assertThat(cycles(uses)).as("packages that depend on each other").isEmpty();
    }

    @Test
    void webhookAuthenticationDoesNotReachIntoTheOpsSecurityPackage() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses.get("org.wagateway.security")).contains("org.wagateway.webhook");
        assertThat(uses.get("org.wagateway.webhook")).doesNotContain("org.wagateway.security");
    }

    /** Package → the other packages of the gateway its sources name. */
    static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            // comments name classes without depending on them
            String source = COMMENT.matcher(Files.readString(file)).replaceAll(" ");
            Matcher declared = PACKAGE.matcher(source);
            assertThat(declared.find()).as(file.toString()).isTrue();
            String own = declared.group(1);
            Set<String> used = uses.computeIfAbsent(own, k -> new TreeSet<>());
            Matcher reference = REFERENCE.matcher(source.substring(declared.end()));
            while (reference.find()) {
                if (!reference.group(1).equals(own)) {
                    used.add(reference.group(1));
                }
            }
        }
        return uses;
    }

    /** The strongly connected groups of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String p : uses.keySet()) {
            if (!index.containsKey(p)) {
                connect(p, uses, index, low, stack, found, counter);
            }
        }
        return found;
    }

    private static void connect(String p, Map<String, Set<String>> uses, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<Set<String>> found,
                                int[] counter) {
        index.put(p, counter[0]);
        low.put(p, counter[0]++);
        stack.push(p);
        for (String q : uses.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                connect(q, uses, index, low, stack, found, counter);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (stack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> group = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                group.add(q);
            } while (!q.equals(p));
            if (group.size() > 1) {
                found.add(group);
            }
        }
    }
}
