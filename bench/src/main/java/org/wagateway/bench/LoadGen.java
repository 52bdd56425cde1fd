package org.wagateway.bench;

import java.nio.file.Path;

/**
 * The benchmark's load generator: real HTTP/1.1 over loopback, one blocking keep-alive socket per client
 * ({@link Conn}), load driven by {@link LoadDriver}, the run's phases in {@link Phases}, the results written by
 * {@link Report}.
 *
 * <pre>
 *   LoadGen mode=ceiling target=PORT out=FILE ...      saturation against the trivial server, figures to FILE
 *   LoadGen mode=gateway target=PORT crm=PORT media=PORT out=FILE ceiling=FILE ...
 *                                                       warm-up, open loop, saturation, counts; table to FILE
 * </pre>
 *
 * Every connection goes to 127.0.0.1 (the only address {@link Conn} ever connects to); every phase ends at its
 * deadline, every wait is bounded. Exit status 0: every accepted message reached the CRM exactly once; 1: a message
 * was lost (neither at the CRM nor on the gateway's stage queues) or came twice; 3: nothing lost, but some were
 * still queued in the gateway when the bounded wait ended (delivery not confirmed); 2: broken run.
 */
public final class LoadGen {

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        Conf conf = Conf.parse(args);
        Machine machine = Machine.of(conf);
        Template[] slots = Template.mix(Path.of(conf.get("fixtures", "src/test/resources/fixtures")),
                conf.get("kazinfoteh-key", "bench-kazinfoteh-key"),
                conf.get("greenapi-token", "bench-greenapi-token"));
        LoadDriver load = new LoadDriver(Integer.parseInt(conf.get("target")),
                Integer.parseInt(conf.get("media", "1")), slots, machine);
        Phases phases = new Phases(conf, machine, load);
        int status;
        try {
            status = "ceiling".equals(conf.get("mode")) ? phases.ceiling() : phases.gateway();
        } catch (Exception e) {
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }
}
