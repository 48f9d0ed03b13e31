package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricingTest {
    @Test
    void defaultsAreOpenCostsOnPremisesPrices() {
        Prices p = Pricing.defaults().at(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(p).isEqualTo(new Prices(0.031611, 0.004237, 0.04, 0.01, 0.12));
        assertThat(p.storageGiBHour(730)).isEqualTo(0.04 / 730);
        assertThat(Pricing.defaults().currency()).isEqualTo("USD");
    }

    @Test
    void oldPeriodsKeepOldPrices() {
        Pricing pricing = CostFixture.pricing();
        assertThat(pricing.at(Instant.parse("2026-03-01T23:00:00Z")).cpuCoreHour()).isEqualTo(0.031611);
        assertThat(pricing.at(Instant.parse("2026-03-02T00:00:00Z")).cpuCoreHour()).isEqualTo(0.05);
        assertThat(pricing.at(Instant.parse("2026-03-02T00:00:00Z")).memoryGiBHour()).isEqualTo(0.004237);
    }

    @Test
    void anOverrideFollowsTheDefaultsForPricesItLeavesOut() {
        List<Pricing.PricePeriod> batch = CostFixture.pricing().periods().stream()
                .filter(p -> p.scope().equals("namespace")).toList();
        assertThat(batch).hasSize(2);
        assertThat(batch).allSatisfy(p -> assertThat(p.prices().cpuCoreHour()).isEqualTo(0.02));
        assertThat(batch.get(1).from()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        Pricing.PricePeriod label = CostFixture.pricing().periods().stream()
                .filter(p -> p.scope().equals("label")).findFirst().orElseThrow();
        assertThat(label.labelKey()).isEqualTo("tier");
        assertThat(label.value()).isEqualTo("premium");
        assertThat(label.priority()).isGreaterThan(batch.get(0).priority());
    }

    @Test
    void rejectsMistakesNamingTheEntryAndTheFix() {
        assertThatThrownBy(() -> Pricing.parse("prices:\n  - cpuCoreHour: cheap\n", "p.yaml"))
                .hasMessage("pricing file p.yaml: prices[0].cpuCoreHour must be a number, got 'cheap'");
        assertThatThrownBy(() -> Pricing.parse("prices:\n  - cpu: 1\n", "p.yaml"))
                .hasMessageContaining("unknown key 'cpu' in prices[0]").hasMessageContaining("cpuCoreHour");
        assertThatThrownBy(() -> Pricing.parse("prices:\n  - cpuCoreHour: 1\n  - cpuCoreHour: 2\n", "p.yaml"))
                .hasMessageContaining("prices[1] needs a 'from' date");
        assertThatThrownBy(() -> Pricing.parse("prices:\n  - from: 2026-03-01T10:30:00Z\n    cpuCoreHour: 1\n", "p.yaml"))
                .hasMessageContaining("prices change on whole hours");
        assertThatThrownBy(() -> Pricing.parse("overrides:\n  - label: premium\n    prices:\n      - cpuCoreHour: 1\n",
                "p.yaml")).hasMessageContaining("overrides[0].label must be key=value");
    }
}
