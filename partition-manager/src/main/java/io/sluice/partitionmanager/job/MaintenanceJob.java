package io.sluice.partitionmanager.job;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.sluice.partitionmanager.maintenance.MaintenanceService;

/** The scheduled run (cron, hourly by default). Another instance holding the lock just means this one skips. */
@ApplicationScoped
public class MaintenanceJob {

    private static final Logger LOG = Logger.getLogger(MaintenanceJob.class);

    private final MaintenanceService maintenance;

    public MaintenanceJob(MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    /** Scheduled methods that return void run on a worker thread, which the JDBC work needs. */
    @Scheduled(cron = "{partition-manager.maintenance.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "partition-maintenance")
    void run() {
        try {
            maintenance.runAll("schedule").ifPresentOrElse(
                    runs -> LOG.infof("Scheduled maintenance: %d sets", runs.size()),
                    () -> LOG.info("Scheduled maintenance skipped: another instance holds the lock"));
        } catch (Exception e) {
            LOG.errorf(e, "Scheduled maintenance failed");
        }
    }
}
