package org.wagateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.idempotency.RecentIdsJournal.Change;

/** The journal of a stage's latest id changes: what a later start reads back from it. */
class RecentIdsJournalTest {

    @TempDir
    Path folder;

    @Test
    void aNewStartReadsTheChangesInTheOrderTheyWereMade() {
        RecentIdsJournal journal = new RecentIdsJournal(folder, "webhook", 10);
        journal.added("kazinfoteh:1");
        journal.added("greenapi:2");
        journal.removed("kazinfoteh:1");

        assertThat(new RecentIdsJournal(folder, "webhook", 10).read()).containsExactly(
                new Change("kazinfoteh:1", true), new Change("greenapi:2", true), new Change("kazinfoteh:1", false));
    }

    @Test
    void itKeepsTheLastChangesInTwoFilesAndDropsOlderOnes() throws IOException {
        RecentIdsJournal journal = new RecentIdsJournal(folder, "crm", 3);
        IntStream.rangeClosed(1, 8).forEach(i -> journal.added("id-" + i));

        assertThat(journal.read()).extracting(Change::id)
                .containsExactly("id-4", "id-5", "id-6", "id-7", "id-8");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void aReopenedJournalGoesOnCountingTheLinesOfItsFile() {
        RecentIdsJournal first = new RecentIdsJournal(folder, "crm", 3);
        first.added("id-1");
        first.added("id-2");
        first.close();

        RecentIdsJournal second = new RecentIdsJournal(folder, "crm", 3);
        second.added("id-3");
        second.added("id-4");
        second.added("id-5");
        second.added("id-6");
        second.added("id-7");

        assertThat(second.read()).extracting(Change::id)
                .containsExactly("id-4", "id-5", "id-6", "id-7");
    }

    @Test
    void anIdWithALineBreakOrABackslashComesBackAsItWas() {
        RecentIdsJournal journal = new RecentIdsJournal(folder, "webhook", 10);
        journal.added("meta:a\nb\\n");
        journal.added("meta:c");

        assertThat(new RecentIdsJournal(folder, "webhook", 10).read()).extracting(Change::id)
                .containsExactly("meta:a\nb\\n", "meta:c");
    }

    @Test
    void aLineTheKillCutShortIsNotReadAsAnId() throws IOException {
        RecentIdsJournal journal = new RecentIdsJournal(folder, "webhook", 10);
        journal.added("kazinfoteh:1");
        journal.close();
        Files.writeString(folder.resolve("webhook-recent-ids.journal"), "+kazinf", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        RecentIdsJournal reopened = new RecentIdsJournal(folder, "webhook", 10);
        assertThat(reopened.read()).extracting(Change::id).containsExactly("kazinfoteh:1");
        reopened.added("kazinfoteh:2");
        assertThat(reopened.read()).extracting(Change::id).containsExactly("kazinfoteh:1", "kazinfoteh:2");
    }

    @Test
    void theStagesKeepJournalsOfTheirOwn() {
        new RecentIdsJournal(folder, "webhook", 10).added("kazinfoteh:1");

        assertThat(new RecentIdsJournal(folder, "crm", 10).read()).isEmpty();
        assertThat(new RecentIdsJournal(folder, "webhook", 10).read()).hasSize(1);
    }

    @Test
    void aClearedJournalHoldsNothing() {
        RecentIdsJournal journal = new RecentIdsJournal(folder, "crm", 10);
        journal.added("kazinfoteh:1");

        journal.clear();

        assertThat(journal.read()).isEqualTo(List.of());
    }
}
