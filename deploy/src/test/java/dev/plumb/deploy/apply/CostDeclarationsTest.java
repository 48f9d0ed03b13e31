package dev.plumb.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.deploy.definition.ServicesFileParser;
import dev.plumb.deploy.plan.ServiceResources;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The declarations body, posted to a {@link StubCollector} on loopback (a JDK HttpServer that
 * records the request; the real endpoint is built in the collector separately).
 */
class CostDeclarationsTest {

    private static List<ServiceResources> paymentService() {
        return ServiceResources.of(KubernetesRenderer.render(ServicesFileParser.parse("""
                namespace: default
                team: payments
                services:
                  payment-service:
                    image: our-registry/payment:latest
                    cpu: 500m
                    memory: 512Mi
                    replicas: 3
                """, "services.yaml").file()));
    }

    @Test
    void bodyHasExactlyTheContractsFields() throws Exception {
        String body = CostDeclarations.body(paymentService(), Instant.parse("2026-11-26T12:00:00.123Z"));

        assertThat(body).isEqualTo("{\"services\":[{\"service\":\"payment-service\",\"namespace\":\"default\",\"team\":\"payments\","
                + "\"replicas\":3,\"cpuCores\":0.5,\"memoryGiB\":0.5,\"storageGiB\":0,\"effectiveFrom\":\"2026-11-26T12:00:00Z\"}]}");
    }

    @Test
    void postsToTheCollectorAndReportsAFailureInsteadOfThrowing() throws Exception {
        try (StubCollector stub = new StubCollector()) {
            String failure = CostDeclarations.post(stub.uri(), paymentService(), Instant.parse("2026-11-26T12:00:00Z"));

            assertThat(failure).isNull();
            String received = stub.received.get(0);
            assertThat(received).startsWith("POST application/json {\"services\":[");
            var json = new ObjectMapper().readTree(received.substring(received.indexOf('{')));
            assertThat(json.at("/services/0/memoryGiB").decimalValue()).isEqualByComparingTo("0.5");
        }
        String down = CostDeclarations.post(URI.create("http://127.0.0.1:1"), paymentService(), Instant.now());
        assertThat(down).startsWith("POST http://127.0.0.1:1/api/v1/cost/declarations failed");
    }
}
