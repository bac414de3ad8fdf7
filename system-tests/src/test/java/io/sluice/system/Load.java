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

    /** One answer: which endpoint, in which phase, with what status (-1: no answer at all). */
    record Outcome(String phase, String endpoint, int status, String detail) {
    }

    private final Suite suite;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile String phase = "steady";

    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Set<Long> acknowledgedWrites = ConcurrentHashMap.newKeySet();

    Load(Suite suite) {
        this.suite = suite;
        suite.infra.primary().execute("CREATE TABLE IF NOT EXISTS drill_write (id bigint PRIMARY KEY,"
                + " at timestamptz NOT NULL DEFAULT now())");
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
        record("check", post(suite.limiter.url() + "/v1/ratelimit/check", obj("key", "church-app-drill")));
    }

    private void cachedRead() {
        int church = 1 + ThreadLocalRandom.current().nextInt(50);
        record("cached-read", post(suite.cache.url() + "/v1/cache/query", obj("namespace", "drill",
                "sql", "SELECT id, name FROM church WHERE id = $1", "params", List.of(church), "ttl_s", 2)));
    }

    private void routerRead() {
        record("router-read", post(suite.router.url() + "/sql", obj("query", "SELECT name FROM member WHERE id = $1",
                "params", List.of(1 + ThreadLocalRandom.current().nextInt(20_000)))));
    }

    private void routerWrite() {
        long id = nextId.getAndIncrement();
        var answer = post(suite.router.url() + "/sql",
                obj("query", "INSERT INTO drill_write (id) VALUES ($1)", "params", List.of(id)));
        if (answer.status() == 200) {
            acknowledgedWrites.add(id);
        }
        record("router-write", answer);
    }

    private void record(String endpoint, Http.Answer answer) {
        String detail = answer.status() >= 500 || answer.status() < 0 ? answer.text() : "";
        outcomes.add(new Outcome(phase, endpoint, answer.status(), detail.length() > 300 ? detail.substring(0, 300)
                : detail));
        if (answer.status() < 0) {
            sleep();
        }
    }

    static Map<Integer, Long> statuses(List<Outcome> outcomes) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
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
