package dev.plumb.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.demo.launch.DemoWorkload;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedPodTest {

    private final ClusterStory story = ClusterStory.at(Instant.now());
    private final List<SimulatedPod> cluster = story.pods();

    @Test
    void everyDemoServiceRunsTwoOrThreePods() {
        Map<String, Long> podsPerService = cluster.stream()
                .collect(Collectors.groupingBy(SimulatedPod::service, Collectors.counting()));

        assertThat(podsPerService.keySet()).containsExactlyInAnyOrderElementsOf(DemoWorkload.SERVICES);
        assertThat(podsPerService.values()).allSatisfy(count -> assertThat(count).isBetween(2L, 3L));
    }

    @Test
    void onlyTheStatefulServiceHasAVolume() {
        assertThat(cluster.stream().filter(pod -> story.usage(pod, Instant.now()).volumeBytes() > 0).map(SimulatedPod::service).distinct())
                .containsExactly("inventory");
        assertThat(cluster.stream().filter(SimulatedPod::stateful).map(SimulatedPod::podName))
                .containsExactly("inventory-0", "inventory-1");
    }

    @Test
    void everyRunReportsTheSamePods() {
        List<SimulatedPod> yesterday = ClusterStory.at(Instant.now().minusSeconds(86_400)).pods();

        assertThat(yesterday).extracting(SimulatedPod::podName)
                .containsExactlyElementsOf(cluster.stream().map(SimulatedPod::podName).toList());
        assertThat(yesterday).extracting(SimulatedPod::podUid)
                .containsExactlyElementsOf(cluster.stream().map(SimulatedPod::podUid).toList());
    }

    @Test
    void podsHaveUniqueNamesAndUidsInOneNamespace() {
        assertThat(cluster).extracting(SimulatedPod::podName).doesNotHaveDuplicates();
        assertThat(cluster).extracting(SimulatedPod::podUid).doesNotHaveDuplicates();
        assertThat(cluster).extracting(SimulatedPod::namespace).containsOnly("shop");
        assertThat(cluster).filteredOn(pod -> !pod.stateful())
                .allSatisfy(pod -> assertThat(pod.podName()).matches(pod.deployment() + "-[0-9a-f]{10}-[a-z0-9]{5}"));
    }
}
