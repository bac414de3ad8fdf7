package io.sluice.system;

import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady app traffic while a fault drill runs: the rate-limit check before each request, cached reads, reads and
 * writes through the router. Records every answer by phase and endpoint, and the ids of writes the router
 * acknowledged (so the drill can prove none was lost).
 */
final class Load implements AutoCloseable {

    /**
     * One answer: which endpoint, in which phase, with what status (-1: no answer at all), the problem type of an
     * error answer (the last segment of its {@code type}, "" for none), how long it took, and the detail of a 5xx.
     */
    record Outcome(String phase, String endpoint, int status, String type, long millis, String detail) {

        /** "200", or "503 primary-unavailable": what an answer was, as the drills allow or count them. */
        String kind() {
            return type.isEmpty() ? Integer.toString(status) : status + " " + type;
        }
    }

    private final Suite suite;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextId;
    private final List<Thread> threads = new ArrayList<>();
    private volatile String phase = "steady";

    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Set<Long> acknowledgedWrites = ConcurrentHashMap.newKeySet();
    /** RateLimit headers that said a negative number of requests remained (a limiter counting below zero). */
    final Set<String> negativeRemaining = ConcurrentHashMap.newKeySet();

    Load(Suite suite) {
        this.suite = suite;
        suite.infra.primary().execute("CREATE TABLE IF NOT EXISTS drill_write (id bigint PRIMARY KEY,"
                + " at timestamptz NOT NULL DEFAULT now())");
        // Ids go on from the last drill's: a reused id is a duplicate key (a 400), not a write to check.
        this.nextId = new AtomicLong(1 + Long.parseLong(
                suite.infra.primary().queryValue("SELECT coalesce(max(id), 0) FROM drill_write")));
        start("check", this::check);
        start("cached-read", this::cachedRead);
        start("router-read", this::routerRead);
        start("router-write", this::routerWrite);
    }

    void phase(String name) {
        phase = name;
    }

    /** The answers of one phase and endpoint. */
    List<Outcome> of(String phaseName, String endpoint) {
        return outcomes.stream().filter(o -> o.phase().equals(phaseName) && o.endpoint().equals(endpoint)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    private void start(String endpoint, Runnable call) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                call.run();
            }
        }, "load-" + endpoint);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void check() {
        long started = System.nanoTime();
        var answer = post(suite.limiter.url() + "/v1/ratelimit/check", obj("key", "church-app-drill"));
        String remaining = answer.header("RateLimit");
        if (remaining != null && remaining.matches(".*\\br=-\\d.*")) {
            negativeRemaining.add(remaining);
        }
        record("check", answer, started);
    }

    private void cachedRead() {
        long started = System.nanoTime();
        int church = 1 + ThreadLocalRandom.current().nextInt(50);
        record("cached-read", post(suite.cache.url() + "/v1/cache/query", obj("namespace", "drill",
                "sql", "SELECT id, name FROM church WHERE id = $1", "params", List.of(church), "ttl_s", 2)), started);
    }

    private void routerRead() {
        long started = System.nanoTime();
        record("router-read", post(suite.router.url() + "/sql", obj("query", "SELECT name FROM member WHERE id = $1",
                "params", List.of(1 + ThreadLocalRandom.current().nextInt(20_000)))), started);
    }

    private void routerWrite() {
        long started = System.nanoTime();
        long id = nextId.getAndIncrement();
        var answer = post(suite.router.url() + "/sql",
                obj("query", "INSERT INTO drill_write (id) VALUES ($1)", "params", List.of(id)));
        if (answer.status() == 200) {
            acknowledgedWrites.add(id);
        }
        record("router-write", answer, started);
    }

    private void record(String endpoint, Http.Answer answer, long started) {
        String detail = answer.status() >= 500 || answer.status() < 0 ? answer.text() : "";
        String type = answer.status() >= 400 ? answer.json().path("type").asText("").replaceAll(".*/", "") : "";
        outcomes.add(new Outcome(phase, endpoint, answer.status(), type, (System.nanoTime() - started) / 1_000_000,
                detail.length() > 300 ? detail.substring(0, 300) : detail));
        if (answer.status() < 0 || answer.status() == 503) {
            sleep();
        }
    }

    static Map<Integer, Long> statuses(List<Outcome> outcomes) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
        return counts;
    }

    /** How many answers of each kind ("200", "503 primary-unavailable", ...). */
    static Map<String, Long> kinds(List<Outcome> outcomes) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        outcomes.forEach(o -> counts.merge(o.kind(), 1L, Long::sum));
        return counts;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
