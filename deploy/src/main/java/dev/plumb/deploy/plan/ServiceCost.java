package dev.plumb.deploy.plan;

import java.math.BigDecimal;

/**
 * One service's monthly cost before and after a change; {@code before} or {@code after} is null
 * for a service that is created or deleted.
 */
public record ServiceCost(String service, ServiceResources before, ServiceResources after,
                          BigDecimal beforeCost, BigDecimal afterCost) {

    public BigDecimal delta() {
        return afterCost.subtract(beforeCost);
    }
}
