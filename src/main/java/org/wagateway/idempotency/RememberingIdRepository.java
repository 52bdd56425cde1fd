package org.wagateway.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.LRUCacheFactory;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids store in front of its database: the ids added lately are also kept in memory, and an id the database
 * refused (its disk full, the database closed) is kept until the database takes it.
 * <p>
 * Why: an id is added after the work it stands for is done (the CRM took the message). When the database fails
 * at that moment, the failure made the done work look failed, and the broker's redelivery did it again: a
 * second POST to the CRM. An embedded H2 that closes on a failed write also loses the inserts of its last write
 * delay. Kept here, the id is known to the redelivery in this process, and written to the database (with the
 * recent ones it may have lost) once it has room again. A process that dies before that leaves the CRM's own
 * check of the Idempotency-Key as the last guard.
 */
public class RememberingIdRepository extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(RememberingIdRepository.class);

    /** Far more ids than a database's lost write delay and a redelivery's wait hold at the benchmark's rate. */
    static final int RECENT_IDS = 20_000;
    /** Ids written back per try, so that a message's thread never pays for a long backlog at once. */
    static final int WRITE_BACK_BATCH = 500;
    /** How often a database that failed is tried again with the backlog. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final String name;
    private final IdempotentRepository database;
    private final Clock clock;
    /** The ids added lately (Camel's in-memory store, least recently used out first). */
    private final Map<String, Object> recentCache = LRUCacheFactory.newLRUCache(RECENT_IDS);
    private final MemoryIdempotentRepository recent = new MemoryIdempotentRepository(recentCache);
    private final Set<String> unwritten = ConcurrentHashMap.newKeySet();
    private volatile long nextWriteBackMillis;

    public RememberingIdRepository(String name, IdempotentRepository database, Clock clock) {
        this.name = name;
        this.database = database;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        writeBackDue();
        try {
            boolean added = database.add(key);
            recent.add(key);
            return added;
        } catch (RuntimeException failure) {
            boolean known = isRemembered(key);
            if (unwritten.isEmpty()) {
                // the database may have lost its last inserts with this failure: they are written again
                LOG.warn("The {} ids store's database failed ({}); ids are kept in memory until it takes them",
                        name, failure.toString());
                unwritten.addAll(recentIds());
            }
            unwritten.add(key);
            recent.add(key);
            nextWriteBackMillis = clock.millis() + RETRY_EVERY.toMillis();
            return !known;
        }
    }

    @Override
    public boolean contains(String key) {
        if (isRemembered(key)) {
            return true;
        }
        writeBackDue();
        return database.contains(key);
    }

    @Override
    public boolean remove(String key) {
        boolean wasUnwritten = unwritten.remove(key);
        recent.remove(key);
        try {
            return database.remove(key) || wasUnwritten;
        } catch (RuntimeException failure) {
            if (wasUnwritten) {
                return true;
            }
            throw failure;
        }
    }

    @Override
    public boolean confirm(String key) {
        return database.confirm(key);
    }

    @Override
    public void clear() {
        unwritten.clear();
        recent.clear();
        database.clear();
    }

    /** How many ids wait for the database. */
    public int unwrittenCount() {
        return unwritten.size();
    }

    /** Writes back a part of the ids the database refused, when some wait and a try is due. */
    private void writeBackDue() {
        if (unwritten.isEmpty() || clock.millis() < nextWriteBackMillis) {
            return;
        }
        nextWriteBackMillis = clock.millis() + RETRY_EVERY.toMillis();
        int written = 0;
        try {
            for (String key : List.copyOf(unwritten)) {
                if (written++ == WRITE_BACK_BATCH) {
                    nextWriteBackMillis = 0;
                    return;
                }
                database.add(key);
                unwritten.remove(key);
            }
            nextWriteBackMillis = 0;
            LOG.info("The {} ids store's database took every id kept in memory", name);
        } catch (RuntimeException stillFailing) {
            LOG.debug("The {} ids store's database still fails: {}", name, stillFailing.toString());
        }
    }

    private boolean isRemembered(String key) {
        return unwritten.contains(key) || recent.contains(key);
    }

    private List<String> recentIds() {
        // the lock MemoryIdempotentRepository takes around its own reads and writes of the cache
        synchronized (recentCache) {
            return new ArrayList<>(recentCache.keySet());
        }
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(recent, database);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(recent, database);
    }
}
