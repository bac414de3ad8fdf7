package io.sluice.querymonitor.api;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.sluice.common.auth.AdminOnly;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.index.IndexAdvisor;
import io.sluice.querymonitor.index.IndexHygiene;
import io.sluice.querymonitor.verification.Verdict;
import io.sluice.querymonitor.verification.Verification;
import io.sluice.querymonitor.verification.VerificationService;
import io.smallrye.mutiny.Uni;

@Path("/v1/indexes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Indexes", description = "Index advice, hygiene and verification after the fact")
public class IndexesResource {

    private final IndexAdvisor advisor;
    private final IndexHygiene hygiene;
    private final VerificationService verifications;
    private final DatabasePools pools;
    private final QueryMonitorConfig config;

    public IndexesResource(IndexAdvisor advisor, IndexHygiene hygiene, VerificationService verifications,
            DatabasePools pools, QueryMonitorConfig config) {
        this.advisor = advisor;
        this.hygiene = hygiene;
        this.verifications = verifications;
        this.pools = pools;
        this.config = config;
    }

    /** {@code min_calls} overrides the configured number of calls to wait for. */
    public record VerificationRequest(String index, List<String> fingerprints,
            @JsonProperty("min_calls") Long minCalls) {
    }

    @GET
    @Path("suggestions")
    @Operation(summary = "Index suggestions for the slow queries of a database (HypoPG what-if when present)")
    @APIResponse(responseCode = "200", description = "The suggestions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IndexAdvisor.Advice.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    public Uni<IndexAdvisor.Advice> suggestions(@QueryParam("database") String database,
            @QueryParam("window") @DefaultValue("1h") String window) {
        String db = Params.configuredDatabase(database, config.defaultDatabase(), pools.names());
        return advisor.suggest(db, Params.window(window));
    }

    @GET
    @Path("unused")
    @Operation(summary = "Unused and duplicate indexes")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IndexHygiene.Report.class)))
    @APIResponse(responseCode = "503", description = "`database-unavailable`: a monitored database did not answer")
    public Uni<IndexHygiene.Report> unused() {
        return hygiene.report();
    }

    /** Starts a verification (it reads baselines from the databases' figures): needs the admin token. */
    @POST
    @AdminOnly
    @Path("verifications")
    @Operation(summary = "Start verifying whether an index helped the given fingerprints", description = "Reads "
            + "baselines now; GET the verification for the verdict.")
    @APIResponse(responseCode = "201", description = "Started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<Verification> verify(VerificationRequest request) {
        if (request == null || request.index() == null || request.index().isBlank() || request.index().length() > 200) {
            throw Params.bad("index", "the index name or CREATE INDEX statement (1 to 200 characters)");
        }
        if (request.fingerprints() == null || request.fingerprints().isEmpty() || request.fingerprints().size() > 50) {
            throw Params.bad("fingerprints", "a list of 1 to 50 fingerprints");
        }
        for (int i = 0; i < request.fingerprints().size(); i++) {
            try {
                Params.fingerprint(request.fingerprints().get(i));
            } catch (io.sluice.common.problem.ProblemException e) {
                throw Params.bad("fingerprints[" + i + "]", "16 lower-case hex digits");
            }
        }
        if (request.minCalls() != null && request.minCalls() < 1) {
            throw Params.bad("min_calls", "at least 1");
        }
        return verifications.start(request.index(), request.fingerprints(), Optional.ofNullable(request.minCalls()));
    }

    @GET
    @Path("verifications/{id}")
    @Operation(summary = "A verification's verdict: did the index help?")
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verdict.class)))
    @APIResponse(responseCode = "404", description = "`verification-not-found`: no such verification (they expire "
            + "after 7 days)")
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    public Uni<Verdict> verdict(@PathParam("id") String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw Params.bad("id", "a verification id (UUID)");
        }
        return verifications.judge(id);
    }
}
