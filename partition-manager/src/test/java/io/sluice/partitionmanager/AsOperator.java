package io.sluice.partitionmanager;

import org.junit.jupiter.api.BeforeEach;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/**
 * Tests that act as an operator: every request carries the test profile's admin token (state-changing endpoints
 * need it). AdminTokenTest checks the refusals without it.
 */
abstract class AsOperator {

    @BeforeEach
    void sendTheAdminToken() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer test-admin-token").build();
    }
}
