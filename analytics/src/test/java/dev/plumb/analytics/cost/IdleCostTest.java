package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle cost, worked out by hand with the default prices (0.031611 per core-hour, 0.004237 per
 * GiB-hour). One node of 4 cores and 16 GiB, sampled at 00:00 and 01:00, runs 2 hours:
 * 8 core-hours × 0.031611 = 0.252888 + 32 GiB-hours × 0.004237 = 0.135584 → cluster 0.388472.
 * Pods, each sampled at 00:00 and 01:00 (2 hours), billed the larger of request and usage:
 * <pre>
 * api    (shop)   CPU req 1, use 0.5 → 1;   memory req 2 GiB, use 3 GiB → 3 GiB
 *                 2 × 0.031611 + 6 × 0.004237 = 0.063222 + 0.025422 = 0.088644
 * worker (shop)   CPU req 0.5, use 1.5 → 1.5; memory req 4 GiB, use 1 GiB → 4 GiB
 *                 3 × 0.031611 + 8 × 0.004237 = 0.094833 + 0.033896 = 0.128729
 * stray  (no namespace: unallocated) CPU req 0.5; memory req 1 GiB
 *                 1 × 0.031611 + 2 × 0.004237 = 0.031611 + 0.008474 = 0.040085
 * idle CPU    (8 − 2 − 3 − 1) core-hours = 2 × 0.031611 = 0.063222
 * idle memory (32 − 6 − 8 − 2) GiB-hours = 16 × 0.004237 = 0.067792 → idle 0.131014
 * 0.088644 + 0.128729 + 0.040085 + 0.131014 = 0.388472
 * </pre>
 */
class IdleCostTest {
    private static final double CENT = 0.005;
    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");
    private static final TimeRange DAY = new TimeRange(START, Instant.parse("2026-04-02T00:00:00Z"));
    private static final String USAGE = """
            pod,ts,namespace,cpu_usage_cores,cpu_request_cores,memory_usage_bytes,memory_request_bytes
            api-7d9f8c6b5-bcdfg,2026-04-01T00:00:00Z,shop,0.5,1,3221225472,2147483648
            api-7d9f8c6b5-bcdfg,2026-04-01T01:00:00Z,shop,0.5,1,3221225472,2147483648
            worker-0,2026-04-01T00:00:00Z,shop,1.5,0.5,1073741824,4294967296
            worker-0,2026-04-01T01:00:00Z,shop,1.5,0.5,1073741824,4294967296
            stray-0,2026-04-01T00:00:00Z,,0.2,0.5,536870912,1073741824
            stray-0,2026-04-01T01:00:00Z,,0.2,0.5,536870912,1073741824
            """;

    @TempDir
    Path dir;
    private CostEngine engine;

    @BeforeEach
    void importUsage() throws IOException {
        engine = CostEngine.open(dir.resolve("data"), Pricing.defaults());
        assertThat(engine.importUsage(write("usage.csv", USAGE))).isEqualTo(6);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private void importNode(double cores, double gib) throws IOException {
        long bytes = (long) (gib * 1024 * 1024 * 1024);
        assertThat(engine.importUsage(write("nodes.csv", "node,ts,cpu_allocatable_cores,memory_allocatable_bytes\n"
                + "node-a,2026-04-01T00:00:00Z," + cores + "," + bytes + "\n"
                + "node-a,2026-04-01T01:00:00Z," + cores + "," + bytes + "\n"))).isEqualTo(2);
    }

    @Test
    void idleIsCapacityPaidForAndNotAllocatedAndThePartsAddUpToTheCluster() throws IOException {
        importNode(4, 16);
        ClusterCost c = engine.cluster(DAY);
        assertThat(c.hoursWithCapacity()).isEqualTo(2);
        assertThat(c.cluster()).isCloseTo(0.388472, within(1e-9));
        assertThat(c.capacity().cpu()).isCloseTo(0.252888, within(1e-9));
        assertThat(c.capacity().memory()).isCloseTo(0.135584, within(1e-9));
        Map<String, Double> services = c.services().stream()
                .collect(Collectors.toMap(ClusterCost.ServiceCost::service, ClusterCost.ServiceCost::total));
        assertThat(services).containsOnlyKeys("api", "worker");
        assertThat(services.get("api")).isCloseTo(0.088644, within(1e-9));
        assertThat(services.get("worker")).isCloseTo(0.128729, within(1e-9));
        assertThat(c.allocated()).isCloseTo(0.217373, within(1e-9));
        assertThat(c.unallocated()).isCloseTo(0.040085, within(1e-9));
        assertThat(c.idle().cpu()).isCloseTo(0.063222, within(1e-9));
        assertThat(c.idle().memory()).isCloseTo(0.067792, within(1e-9));
        assertThat(c.idle().total()).isCloseTo(0.13, within(CENT));
        assertThat(c.overcommit().total()).isZero();
        assertThat(c.balanced()).isTrue();
        assertThat(Math.round(c.allocated() * 100) + Math.round(c.unallocated() * 100) + Math.round(c.idle().total() * 100))
                .as("cents of the parts").isEqualTo(Math.round(c.cluster() * 100));
    }

    @Test
    void idleIsItsOwnRowPerStep() throws IOException {
        importNode(4, 16);
        List<CostRow> hourly = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR, IdleMode.OWN_LINE);
        List<CostRow> idle = hourly.stream().filter(r -> r.group().equals(IdleMode.IDLE_GROUP)).toList();
        assertThat(idle).extracting(CostRow::ts).containsExactly(START, START.plusSeconds(3600));
        for (CostRow r : idle) {
            assertThat(r.cpu()).isCloseTo(0.031611, within(1e-9));
            assertThat(r.memory()).isCloseTo(0.033896, within(1e-9));
            assertThat(r.total()).isCloseTo(0.065507, within(1e-9));
        }
        double sum = hourly.stream().mapToDouble(CostRow::total).sum();
        assertThat(sum).isCloseTo(0.388472, within(1e-9));
        assertThat(engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR))
                .noneMatch(r -> r.group().equals(IdleMode.IDLE_GROUP));
    }

    @Test
    void sharedIdleFollowsEachResourcesCostAndSumsToTheCluster() throws IOException {
        importNode(4, 16);
        List<CostRow> daily = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY, IdleMode.SHARED);
        assertThat(daily).extracting(CostRow::group).containsExactlyInAnyOrder("api", "stray", "worker");
        assertThat(daily.stream().mapToDouble(CostRow::total).sum()).isCloseTo(0.388472, within(1e-9));
        CostRow api = daily.stream().filter(r -> r.group().equals("api")).findFirst().orElseThrow();
        // idle CPU 0.063222 over CPU cost 0.189666 (a third more); idle memory 0.067792 over 0.067792 (double)
        assertThat(api.cpu()).isCloseTo(0.063222 * 4 / 3, within(1e-9));
        assertThat(api.memory()).isCloseTo(0.025422 * 2, within(1e-9));
        assertThat(api.total()).isCloseTo(0.084296 + 0.050844, within(1e-9));
    }

    @Test
    void usageAboveCapacityIsOvercommitNotNegativeIdle() throws IOException {
        importNode(1, 16);
        ClusterCost c = engine.cluster(DAY);
        // CPU: 2 core-hours paid, 6 allocated → idle 0, over-commit 4 × 0.031611
        assertThat(c.idle().cpu()).isZero();
        assertThat(c.overcommit().cpu()).isCloseTo(0.126444, within(1e-9));
        assertThat(c.idle().memory()).isCloseTo(0.067792, within(1e-9));
        assertThat(c.cluster()).isCloseTo(0.063222 + 0.135584, within(1e-9));
        assertThat(c.balanced()).isTrue();
        assertThat(engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY, IdleMode.OWN_LINE).stream()
                .filter(r -> r.group().equals(IdleMode.IDLE_GROUP)).findFirst().orElseThrow().cpu()).isZero();
    }

    @Test
    void withoutNodeDataThereIsNoIdleLineAndTheClusterIsUnknown() {
        assertThat(engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR, IdleMode.OWN_LINE))
                .isNotEmpty().noneMatch(r -> r.group().equals(IdleMode.IDLE_GROUP));
        assertThat(engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY, IdleMode.SHARED))
                .isEqualTo(engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY));
        assertThatThrownBy(() -> engine.cluster(DAY)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no node capacity");
    }

    @Test
    void refusesANodeFileWithoutCapacityNamingTheColumns() throws IOException {
        Path bad = write("bad-nodes.csv", "node,ts\nnode-a,2026-04-01T00:00:00Z\n");
        assertThatThrownBy(() -> engine.importUsage(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu_allocatable_cores");
    }

    @Test
    void recordedNodesCountLikeImportedOnes() {
        engine.recordNodes(List.of(new NodeSample("node-a", null, START, null, 4, 16.0 * (1L << 30)),
                new NodeSample("node-a", null, START.plusSeconds(3600), null, 4, 16.0 * (1L << 30))), "test");
        assertThat(engine.cluster(DAY).idle().total()).isCloseTo(0.131014, within(1e-9));
    }
}
