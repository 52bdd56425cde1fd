package org.wagateway.process;

import java.io.File;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.SharedFileLocker;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.scheduler.JobSchedulerStoreImpl;

/**
 * One broker of {@link ClusterIT}'s master/slave pair, in a JVM of its own: ActiveMQ Classic on 127.0.0.1 with a
 * KahaDB store and a scheduler store in a folder shared with the other broker. Whichever takes the store's lock
 * first is the master; the other waits in {@link BrokerService#start()}, retrying the lock every
 * {@value #LOCK_RETRY_MS} ms, and opens its port only once it holds the lock. Prints
 * {@value #MASTER_LINE} with the wall-clock time once it serves.
 *
 * <p>Arguments: the shared folder, the TCP port, the broker's name.
 */
public final class ClusterBrokerMain {

    static final String MASTER_LINE = "CLUSTER-BROKER-MASTER";
    static final long LOCK_RETRY_MS = 500;

    private ClusterBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        File shared = new File(args[0]);
        int port = Integer.parseInt(args[1]);
        String name = args[2];
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(shared, "kahadb"));
        kahaDb.setCheckForCorruptJournalFiles(true);
        SharedFileLocker locker = new SharedFileLocker();
        locker.setLockAcquireSleepInterval(LOCK_RETRY_MS);
        kahaDb.setLocker(locker);
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setDataDirectoryFile(new File(shared, "broker-" + name));
        broker.setPersistent(true);
        broker.setPersistenceAdapter(kahaDb);
        broker.setSchedulerSupport(true);
        JobSchedulerStoreImpl scheduler = new JobSchedulerStoreImpl();
        scheduler.setDirectory(new File(shared, "scheduler"));
        broker.setJobSchedulerStore(scheduler);
        broker.setAdvisorySupport(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(true);
        broker.addConnector("tcp://127.0.0.1:" + port);
        System.out.println("CLUSTER-BROKER " + name + " waiting for the store's lock at " + System.currentTimeMillis());
        broker.start();
        broker.waitUntilStarted();
        System.out.println(MASTER_LINE + " " + name + " serves on port " + port + " at " + System.currentTimeMillis());
        broker.waitUntilStopped();
    }
}
