package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Small helpers for the routing tests: send one statement, read which node answered. */
final class RouterClient {

    private RouterClient() {
    }

    static RequestSpecification sql(String query) {
        return given().contentType("application/json")
                .body("{\"query\": \"" + query.replace("\"", "\\\"") + "\"}");
    }

    static Response post(RequestSpecification request) {
        return request.when().post("/sql");
    }

    static String nodeOf(Response response) {
        return response.header("Sluice-Node");
    }

    static String reasonOf(Response response) {
        return response.header("Sluice-Route-Reason");
    }
}
