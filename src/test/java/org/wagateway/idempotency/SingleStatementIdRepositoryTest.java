package org.wagateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The idempotency store's single-statement answers, against a real (in-memory) H2 database. */
class SingleStatementIdRepositoryTest {

    private DriverManagerDataSource dataSource;
    private SingleStatementIdRepository webhooks;
    private SingleStatementIdRepository crm;

    @BeforeEach
    void createTheStore() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:ids-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        webhooks = started(new SingleStatementIdRepository(dataSource, "webhook"));
        crm = started(new SingleStatementIdRepository(dataSource, "crm"));
    }

    @AfterEach
    void dropTheStore() {
        new JdbcTemplate(dataSource).execute("SHUTDOWN");
    }

    @Test
    void aNewIdIsAddedAndThenKnown() {
        assertThat(webhooks.contains("kazinfoteh:1")).isFalse();

        assertThat(webhooks.add("kazinfoteh:1")).isTrue();

        assertThat(webhooks.contains("kazinfoteh:1")).isTrue();
    }

    @Test
    void anIdAlreadyThereIsNotAddedAgain() {
        webhooks.add("kazinfoteh:1");

        assertThat(webhooks.add("kazinfoteh:1")).isFalse();
        assertThat(webhooks.contains("kazinfoteh:1")).isTrue();
    }

    @Test
    void eachStageKeepsItsOwnIds() {
        webhooks.add("greenapi:7");

        assertThat(crm.contains("greenapi:7")).isFalse();
        assertThat(crm.add("greenapi:7")).isTrue();
    }

    @Test
    void aRemovedIdCanBeAddedAgain() {
        webhooks.add("greenapi:7");

        webhooks.remove("greenapi:7");

        assertThat(webhooks.contains("greenapi:7")).isFalse();
        assertThat(webhooks.add("greenapi:7")).isTrue();
    }

    @Test
    void anIdWiderThanTheColumnIsKeptAndKnownAgain() {
        String wide = "meta:" + "w".repeat(600);

        assertThat(webhooks.add(wide)).isTrue();

        assertThat(webhooks.contains(wide)).isTrue();
        assertThat(webhooks.add(wide)).isFalse();
        assertThat(webhooks.contains(wide.substring(0, 520))).isFalse();
    }

    @Test
    void anIdWiderThanTheColumnCanBeRemoved() {
        String wide = "greenapi:" + "7".repeat(700);
        webhooks.add(wide);

        webhooks.remove(wide);

        assertThat(webhooks.contains(wide)).isFalse();
    }

    private static SingleStatementIdRepository started(SingleStatementIdRepository repository) {
        repository.setCreateString(IdempotencyConfiguration.CREATE_TABLE);
        repository.start();
        return repository;
    }
}
