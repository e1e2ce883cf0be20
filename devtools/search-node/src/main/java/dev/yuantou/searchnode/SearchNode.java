package dev.yuantou.searchnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node for development and the live search tests.
 *
 * <p>A distribution loads its modules (HTTP transport, analysis, mapper extras) from a modules/
 * folder. Built from Maven artifacts there is no such folder, so the modules come from the classpath
 * instead: Node has a constructor that takes plugin classes, meant for exactly this (the test
 * framework's nodes use it), and a subclass is the only way to reach it.
 *
 * <p>Settings come from the environment: SEARCH_NODE_HOST (127.0.0.1), SEARCH_NODE_PORT (9200),
 * SEARCH_NODE_HOME (a fresh temporary folder). The home folder holds the data and is deleted when
 * the node stops: nothing survives a restart, which is what tests and `make search-node` want.
 */
public final class SearchNode extends Node {
    static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class);

    private SearchNode(Environment environment) {
        super(environment, PLUGINS, true);
    }

    public static void main(String[] args) throws Exception {
        String host = env("SEARCH_NODE_HOST", "127.0.0.1");
        String port = env("SEARCH_NODE_PORT", "9200");
        Path home = Files.createTempDirectory("yuantou-search-node-");
        String given = System.getenv("SEARCH_NODE_HOME");
        if (given != null && !given.isBlank()) {
            home = Path.of(given).toAbsolutePath();
            deleteTree(home); // throw-away: never start from an earlier run's indices
            Files.createDirectories(home);
        }
        final Path homeDir = home;

        Settings settings = Settings.builder()
                .put("cluster.name", "yuantou-search-node")
                .put("node.name", "search-node")
                .put("path.home", homeDir.toString())
                .put("path.data", homeDir.resolve("data").toString())
                .put("path.logs", homeDir.resolve("logs").toString())
                .put("discovery.type", "single-node")
                .put("network.host", host)
                .put("http.port", port)
                // The transport port is unused by a single node but must bind: take any free one.
                .put("transport.port", "0")
                // A developer's disk may be fuller than the production watermarks allow.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName("search-node");
        LogConfigurator.configureWithoutConfig(settings);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Map.of(), homeDir.resolve("config"), () -> "search-node");
        SearchNode node = new SearchNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
                deleteTree(homeDir);
            } catch (IOException | InterruptedException e) {
                System.err.println("search-node: stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "search-node-shutdown"));
        node.start();
        System.out.println("search-node: listening on http://" + host + ":" + port + " (home " + homeDir + ")");
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
