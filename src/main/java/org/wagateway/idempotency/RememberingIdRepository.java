package org.wagateway.idempotency;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * The ids store in front of its database: each change is also appended to the stage's {@link RecentIdsJournal}
 * in the data folder, the last ids added are also kept in memory, and an id the database refused (its disk full,
 * the database closed) is kept in memory until the database takes it.
 * <p>
 * Why: an id is added after the work it stands for is done (the CRM took the message). When the database fails
 * at that moment, the failure made the done work look failed, and the broker's redelivery did it again: a
 * second POST to the CRM. An embedded H2 that closes on a failed write also loses the inserts of its last write
 * delay, silently for the ids it had taken: the last ids in memory still know them. Kept here, the id is known to
 * the redelivery in this process, and written to the database (with the journal's latest ids, which it may have
 * lost) once it has room again. A kill loses those commits too: the next start writes back from the journal what
 * the database lacks, so a provider's retry of a webhook stored just before the kill is still taken as a retry.
 */
public class RememberingIdRepository extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(RememberingIdRepository.class);

    /**
     * The ids kept in memory: several times what H2's write delay (half a second) holds at the benchmark's
     * saturation, and few enough to die young. With 20,000, each id outlived the young generation and the cache
     * was the old generation's second largest share of garbage.
     */
    static final int RECENT_IDS = 2_000;
    /** Ids written back per try, so that a message's thread never pays for a long backlog at once. */
    static final int WRITE_BACK_BATCH = 500;
    /** How often a database that failed is tried again with the backlog. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final String name;
    private final IdempotentRepository database;
    private final RecentIdsJournal journal;
    private final Clock clock;
    /** The ids added lately (Camel's in-memory store, least recently used out first). */
    private final MemoryIdempotentRepository recent =
            new MemoryIdempotentRepository(LRUCacheFactory.newLRUCache(RECENT_IDS));
    private final Set<String> unwritten = ConcurrentHashMap.newKeySet();
    private volatile long nextWriteBackMillis;
    private volatile boolean journalFailing;

    RememberingIdRepository(String name, IdempotentRepository database, RecentIdsJournal journal, Clock clock) {
        this.name = name;
        this.database = database;
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        writeBackDue();
        try {
            boolean added = database.add(key);
            recent.add(key);
            journal(key, true);
            return added;
        } catch (RuntimeException failure) {
            boolean known = isRemembered(key);
            if (unwritten.isEmpty()) {
                // the database may have lost its last inserts with this failure: they are written again
                LOG.warn("The {} ids store's database failed ({}); ids are kept in memory until it takes them",
                        name, failure.toString());
                unwritten.addAll(journaledIds());
            }
            unwritten.add(key);
            recent.add(key);
            journal(key, true);
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
        // first: a removal the database then fails to make must not come back from the journal as an id
        journal(key, false);
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
        journal.clear();
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

    /** The journal's ids whose last change was their addition. */
    private List<String> journaledIds() {
        List<String> ids = new ArrayList<>();
        lastChanges().forEach((id, added) -> {
            if (added) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Each id of the journal with its last change: true added, false removed. */
    private Map<String, Boolean> lastChanges() {
        Map<String, Boolean> lastChange = new LinkedHashMap<>();
        for (RecentIdsJournal.Change change : journal.read()) {
            lastChange.remove(change.id());
            lastChange.put(change.id(), change.added());
        }
        return lastChange;
    }

    /** Appends the change to the journal; a journal that fails (a full disk) costs only its own guard. */
    private void journal(String key, boolean added) {
        try {
            if (added) {
                journal.added(key);
            } else {
                journal.removed(key);
            }
            if (journalFailing) {
                journalFailing = false;
                LOG.info("The {} ids store's journal takes writes again", name);
            }
        } catch (UncheckedIOException failure) {
            if (!journalFailing) {
                journalFailing = true;
                LOG.warn("The {} ids store's journal failed ({}); ids recorded meanwhile may be lost to a kill",
                        name, failure.getCause().toString());
            }
        }
    }

    /** Writes back to the database the journal's changes it lacks: those its last write delay lost to a kill. */
    private void restoreFromJournal() {
        int restored = 0;
        for (Map.Entry<String, Boolean> change : lastChanges().entrySet()) {
            String key = change.getKey();
            try {
                if (change.getValue()) {
                    // most journaled ids are in the database: a lookup is cheaper than a refused duplicate insert
                    if (!database.contains(key)) {
                        database.add(key);
                        restored++;
                    }
                } else if (database.remove(key)) {
                    restored++;
                }
            } catch (RuntimeException failure) {
                if (change.getValue()) {
                    unwritten.add(key);
                }
            }
        }
        if (restored > 0 || !unwritten.isEmpty()) {
            LOG.warn("The {} ids store's database had lost {} of its last changes (the gateway was stopped without "
                    + "closing it); written again from its journal{}", name, restored + unwritten.size(),
                    unwritten.isEmpty() ? "" : ", " + unwritten.size() + " of them kept in memory until it takes them");
        }
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(recent, database);
        restoreFromJournal();
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(recent, database);
        journal.close();
    }
}
