package org.wagateway.media;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Runs in the child JVM that {@link S3MockServer} starts, on S3Mock's own class path (its executable jar), never in
 * the tests' JVM: starts S3Mock with both its connectors on 127.0.0.1 and free ports, prints
 * {@code S3MOCK_READY http=<port>} and stops when its standard input closes (the test ended or died).
 *
 * <p>S3Mock binds its plain-HTTP connector to every interface; this class, added to S3Mock's context as a source
 * ({@code spring.main.sources}), is a customizer that puts that connector on loopback too, and the start fails
 * if it is anywhere else. It refers to S3Mock only by name: S3Mock is not on the tests' class path.
 */
public final class S3MockMain implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String READY = "S3MOCK_READY http=";
    private static final String LOOPBACK = "127.0.0.1";
    private static final List<Connector> CUSTOMIZED = new CopyOnWriteArrayList<>();

    /** {@code args[0]}: the folder S3Mock keeps its buckets in. */
    public static void main(String[] args) throws Exception {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.address", LOOPBACK);
        properties.put("server.port", 0);
        properties.put("http.port", 0);
        properties.put("com.adobe.testing.s3mock.store.root", Path.of(args[0]).toString());
        properties.put("com.adobe.testing.s3mock.store.retainFilesOnExit", false);
        properties.put("silent", true);
        properties.put("spring.main.sources", S3MockMain.class.getName());
        Class<?> application = Class.forName("com.adobe.testing.s3mock.S3MockApplication");
        Object s3Mock = application.getMethod("start", Map.class, String[].class)
                .invoke(null, properties, new String[0]);
        int httpPort = (int) application.getMethod("getHttpPort").invoke(s3Mock);
        boolean onLoopback = CUSTOMIZED.stream().anyMatch(connector -> connector.getLocalPort() == httpPort
                && String.valueOf(connector.getProperty("address")).contains(LOOPBACK));
        if (!onLoopback) {
            application.getMethod("stop").invoke(s3Mock);
            System.out.println("S3Mock's HTTP connector is not bound to " + LOOPBACK + "; stopped");
            System.exit(2);
        }
        System.out.println(READY + httpPort);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes the pipe
        }
        application.getMethod("stop").invoke(s3Mock);
        System.exit(0);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        for (Connector connector : factory.getAdditionalTomcatConnectors()) {
            connector.setProperty("address", LOOPBACK);
            CUSTOMIZED.add(connector);
        }
    }
}
