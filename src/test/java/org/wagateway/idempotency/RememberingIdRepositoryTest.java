package org.wagateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Set;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ids store's answers while its database fails, and after it has room again. */
class RememberingIdRepositoryTest {

    private final FailingDatabase database = new FailingDatabase();
    private final SteppedClock clock = new SteppedClock();
    @TempDir
    Path dataDir;
    private RememberingIdRepository ids;

    @BeforeEach
    void startTheStore() {
        ids = started();
    }

    /** The stage's store on {@link #database} and the journal in {@link #dataDir}, as a start makes it. */
    private RememberingIdRepository started() {
        RememberingIdRepository store = new RememberingIdRepository("crm", database,
                new RecentIdsJournal(dataDir, "crm", 100), clock);
        store.start();
        return store;
    }

    @Test
    void theIdsTheDatabaseLostToAKillAreWrittenBackAtTheNextStart() {
        ids.add("kazinfoteh:1");
        ids.add("kazinfoteh:2");
        // the kill: the database's last write delay is lost, and so is everything in memory
        database.stored.clear();

        RememberingIdRepository afterTheKill = started();

        assertThat(database.stored).containsExactlyInAnyOrder("kazinfoteh:1", "kazinfoteh:2");
        assertThat(afterTheKill.add("kazinfoteh:1")).as("a retry of a stored webhook").isFalse();
    }

    @Test
    void anIdRemovedBeforeTheKillIsNotWrittenBack() {
        ids.add("retry-wanted:kazinfoteh:1");
        ids.remove("retry-wanted:kazinfoteh:1");
        database.stored.clear();

        RememberingIdRepository afterTheKill = started();

        assertThat(database.stored).isEmpty();
        assertThat(afterTheKill.contains("retry-wanted:kazinfoteh:1")).isFalse();
    }

    @Test
    void aRemovalTheDatabaseLostToAKillIsMadeAgain() {
        ids.add("retry-wanted:kazinfoteh:1");
        ids.remove("retry-wanted:kazinfoteh:1");
        // the database lost the delete of its last write delay, not the earlier insert
        database.getCache().put("retry-wanted:kazinfoteh:1", "retry-wanted:kazinfoteh:1");

        started();

        assertThat(database.stored).isEmpty();
    }

    @Test
    void aJournaledIdTheDatabaseCannotTakeAtTheStartIsKeptUntilItCan() {
        ids.add("kazinfoteh:1");
        database.stored.clear();
        database.failing = true;

        RememberingIdRepository afterTheKill = started();

        assertThat(afterTheKill.unwrittenCount()).isEqualTo(1);
        assertThat(afterTheKill.contains("kazinfoteh:1")).isTrue();
    }

    @Test
    void anIdTheDatabaseRefusedIsStillKnown() {
        database.failing = true;

        assertThat(ids.add("kazinfoteh:1")).as("added, though only in memory").isTrue();

        assertThat(ids.contains("kazinfoteh:1")).isTrue();
        assertThat(ids.add("kazinfoteh:1")).as("a second add is a duplicate").isFalse();
    }

    @Test
    void theRefusedIdsAreWrittenOnceTheDatabaseTakesWritesAgain() {
        database.failing = true;
        ids.add("kazinfoteh:1");
        database.failing = false;

        clock.advanceMillis(RememberingIdRepository.RETRY_EVERY.toMillis());
        ids.contains("kazinfoteh:other");

        assertThat(database.stored).contains("kazinfoteh:1");
        assertThat(ids.unwrittenCount()).isZero();
    }

    @Test
    void theDatabaseIsNotAskedAgainBeforeTheRetryIsDue() {
        database.failing = true;
        ids.add("kazinfoteh:1");
        database.failing = false;

        ids.contains("kazinfoteh:other");

        assertThat(database.stored).doesNotContain("kazinfoteh:1");
        assertThat(ids.unwrittenCount()).isEqualTo(1);
    }

    @Test
    void theIdsAddedJustBeforeTheFailureAreWrittenAgain() {
        ids.add("kazinfoteh:1");
        // an embedded database that closes on a failed write loses its last inserts
        database.stored.clear();
        database.failing = true;
        ids.add("kazinfoteh:2");
        database.failing = false;

        clock.advanceMillis(RememberingIdRepository.RETRY_EVERY.toMillis());
        ids.contains("kazinfoteh:other");

        assertThat(database.stored).contains("kazinfoteh:1", "kazinfoteh:2");
    }

    @Test
    void aLongBacklogIsWrittenInPartsOverSeveralCalls() {
        database.failing = true;
        for (int i = 0; i <= RememberingIdRepository.WRITE_BACK_BATCH; i++) {
            ids.add("kazinfoteh:" + i);
        }
        database.failing = false;
        clock.advanceMillis(RememberingIdRepository.RETRY_EVERY.toMillis());

        ids.contains("kazinfoteh:other");
        assertThat(ids.unwrittenCount()).isEqualTo(1);
        ids.contains("kazinfoteh:other");

        assertThat(ids.unwrittenCount()).isZero();
        assertThat(database.stored).hasSize(RememberingIdRepository.WRITE_BACK_BATCH + 1);
    }

    @Test
    void aRemovedIdIsForgotten() {
        database.failing = true;
        ids.add("kazinfoteh:1");

        assertThat(ids.remove("kazinfoteh:1")).isTrue();

        database.failing = false;
        assertThat(ids.contains("kazinfoteh:1")).isFalse();
    }

    @Test
    void aHealthyDatabaseDecidesWhatIsNew() {
        assertThat(ids.add("kazinfoteh:1")).isTrue();
        assertThat(ids.add("kazinfoteh:1")).isFalse();
        assertThat(database.stored).containsExactly("kazinfoteh:1");
    }

    /** A database whose writes and reads can be made to fail, as a full disk makes them. */
    static final class FailingDatabase extends MemoryIdempotentRepository {
        final Set<String> stored;
        boolean failing;

        FailingDatabase() {
            super(new HashMap<>());
            stored = getCache().keySet();
        }

        private void check() {
            if (failing) {
                throw new IllegalStateException("The database has been closed");
            }
        }

        @Override
        public boolean add(String key) {
            check();
            return super.add(key);
        }

        @Override
        public boolean contains(String key) {
            check();
            return super.contains(key);
        }

        @Override
        public boolean remove(String key) {
            check();
            return super.remove(key);
        }
    }

    static final class SteppedClock extends Clock {
        private long millis = 1_000_000;

        void advanceMillis(long step) {
            millis += step;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
