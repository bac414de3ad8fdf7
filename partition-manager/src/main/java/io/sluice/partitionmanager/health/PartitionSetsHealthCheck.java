package io.sluice.partitionmanager.health;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Readiness: DOWN when any set's runway is below one interval (the next partition is missing, so inserts after the
 * current one ends would fail or land in the default partition). Rows in a default partition are a warning in the
 * data, not DOWN: reads and writes still work. Online conversions are reported in the data too (ConversionHealth).
 */
@Readiness
@ApplicationScoped
public class PartitionSetsHealthCheck implements AsyncHealthCheck {

    public static final String NAME = "partition-sets";

    private final SetHealthService health;
    private final ConversionHealth conversions;
    private final Clock clock;

    public PartitionSetsHealthCheck(SetHealthService health, ConversionHealth conversions, Clock clock) {
        this.health = health;
        this.conversions = conversions;
        this.clock = clock;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(() -> {
            try {
                var all = health.all();
                var response = HealthCheckResponse.named(NAME).up();
                long short_ = 0;
                long withDefaultRows = 0;
                for (SetHealth h : all) {
                    if (!h.runwayOk()) {
                        short_++;
                        response.down();
                    }
                    if (h.defaultRows() > 0) {
                        withDefaultRows++;
                        response.withData(h.set().name() + ".warning", h.defaultRows()
                                + " rows in the default partition; POST /v1/partition-sets/" + h.set().name() + "/evacuate");
                    }
                    response.withData(h.set().name() + ".runway", h.runway() + "/" + h.premake());
                }
                conversions.data(clock.instant()).forEach((k, v) -> response.withData(k, String.valueOf(v)));
                return response.withData("sets", all.size()).withData("setsShortOfRunway", short_)
                        .withData("setsWithDefaultRows", withDefaultRows).build();
            } catch (Exception e) {
                return HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(e.getMessage())).build();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
