package dev.plumb.collector.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/cost/declarations} as the deploy adapter sends it, on a running collector
 * with the default prices: a declared replica-hour of 0.5 core and 0.5 GiB costs
 * 0.5 × 0.031611 + 0.5 × 0.004237 = 0.017924; three replicas from 10:00 until a zero-replica
 * declaration at 14:00 a week ago make 12 replica-hours, 0.215088.
 */
class CostDeclarationsApiTest {
    /** A week ago: declarations may go back 400 days, so the day moves with the clock. */
    private static final String DAY = LocalDate.now(ZoneOffset.UTC).minusDays(7).toString();
    private static final String NEXT_DAY = LocalDate.now(ZoneOffset.UTC).minusDays(6).toString();
    private static final String DECLARE = """
            {"services":[{"service":"payment-service","namespace":"default","team":"payments",
            "replicas":3,"cpuCores":0.5,"memoryGiB":0.5,"storageGiB":0,"effectiveFrom":"%sT10:00:00Z"}]}""".formatted(DAY);
    private static final String END = """
            {"services":[{"service":"payment-service","namespace":"default","team":"payments",
            "replicas":0,"cpuCores":0.5,"memoryGiB":0.5,"storageGiB":0,"effectiveFrom":"%sT14:00:00Z"}]}""".formatted(DAY);

    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient api;

    @BeforeAll
    static void start() {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data));
        api = new ApiClient(collector.httpPort());
        assertThat(post(DECLARE).status()).isEqualTo(201);
        assertThat(post(END).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static ApiClient.Answer post(String body) {
        return api.post("/api/v1/cost/declarations", "application/json", null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void declaredServiceCostsItsReplicasHoursAtTheDeclaredRequests() {
        JsonNode day = api.json("/api/v1/cost?groupBy=service&step=1d&from=" + DAY + "T00:00:00Z&to=" + NEXT_DAY + "T00:00:00Z");
        assertThat(day.get("rows")).hasSize(1);
        JsonNode row = day.get("rows").get(0);
        assertThat(row.get("group").asText()).isEqualTo("payment-service");
        assertThat(row.get("source").asText()).isEqualTo("declared");
        assertThat(row.get("podHours").asDouble()).isCloseTo(12.0, within(1e-9));
        assertThat(row.get("total").asDouble()).isCloseTo(0.215088, within(1e-9));
        JsonNode team = api.json("/api/v1/cost?groupBy=team&step=1d&from=" + DAY + "T00:00:00Z&to=" + NEXT_DAY + "T00:00:00Z");
        assertThat(team.get("rows").get(0).get("group").asText()).isEqualTo("payments");
    }

    @Test
    void anHourlySeriesFromHalfPastWidensToTheWholeHour() {
        JsonNode hours = api.json("/api/v1/cost?groupBy=service&step=1h&from=" + DAY + "T10:30:00Z&to=" + DAY + "T12:30:00Z");
        assertThat(hours.get("from").asText()).isEqualTo(DAY + "T10:00:00Z");
        assertThat(hours.get("to").asText()).isEqualTo(DAY + "T13:00:00Z");
        assertThat(hours.get("rows")).extracting(r -> r.get("ts").asText())
                .containsExactly(DAY + "T10:00:00Z", DAY + "T11:00:00Z", DAY + "T12:00:00Z");
        assertThat(hours.get("rows").get(0).get("total").asDouble()).isCloseTo(3 * 0.017924, within(1e-9));
    }

    @Test
    void listsTheLatestDeclarationOfEachService() {
        JsonNode list = api.json("/api/v1/cost/declarations");
        assertThat(list.get("declarations")).hasSize(1);
        JsonNode d = list.get("declarations").get(0);
        assertThat(d.get("service").asText()).isEqualTo("payment-service");
        assertThat(d.get("replicas").asInt()).isZero();
        assertThat(d.get("effectiveFrom").asText()).isEqualTo(DAY + "T14:00:00Z");
    }

    @Test
    void refusesABadDeclarationNamingTheField() {
        ApiClient.Answer negative = post(DECLARE.replace("\"replicas\":3", "\"replicas\":-1"));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("field").asText()).isEqualTo("services[0].replicas");
        ApiClient.Answer typo = post(DECLARE.replace("\"cpuCores\"", "\"cpu\""));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("field").asText()).isEqualTo("services[0].cpu");
        ApiClient.Answer missing = post(DECLARE.replace("\"memoryGiB\":0.5,", ""));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("services[0].memoryGiB");
        ApiClient.Answer time = post(DECLARE.replace(DAY + "T10:00:00Z", "yesterday"));
        assertThat(time.json().get("field").asText()).isEqualTo("services[0].effectiveFrom");
        ApiClient.Answer many = post(DECLARE.replace("\"replicas\":3", "\"replicas\":10001"));
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.json().get("field").asText()).isEqualTo("services[0].replicas");
        assertThat(many.json().get("error").asText())
                .isEqualTo("services[0].replicas 10001 is more than 10000, the most a declaration may hold");
        Instant now = Instant.now();
        String old = now.minus(Duration.ofDays(401)).truncatedTo(ChronoUnit.SECONDS).toString();
        ApiClient.Answer longAgo = post(DECLARE.replace(DAY + "T10:00:00Z", old));
        assertThat(longAgo.status()).isEqualTo(400);
        assertThat(longAgo.json().get("field").asText()).isEqualTo("services[0].effectiveFrom");
        assertThat(longAgo.json().get("error").asText())
                .isEqualTo("services[0].effectiveFrom " + old + " is more than 400 days before the request");
        String ahead = now.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        ApiClient.Answer future = post(DECLARE.replace(DAY + "T10:00:00Z", ahead));
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().get("error").asText())
                .isEqualTo("services[0].effectiveFrom " + ahead + " is more than 24 hours after the request");
        assertThat(future.json().get("hint").asText()).endsWith(", or leave it out for now");
        ApiClient.Answer notJson = post("{services:");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("field").asText()).isEqualTo("body");
        assertThat(post("{}").json().get("field").asText()).isEqualTo("services");
    }
}
