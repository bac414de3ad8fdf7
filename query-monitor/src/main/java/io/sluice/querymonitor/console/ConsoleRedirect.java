package io.sluice.querymonitor.console;

import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/** {@code /console} without the slash goes to {@code /console/}, where the static page (index.html) is served. */
public class ConsoleRedirect {

    void route(@Observes Router router) {
        router.routeWithRegex("^/console$").handler(rc -> rc.redirect("/console/"));
    }
}
