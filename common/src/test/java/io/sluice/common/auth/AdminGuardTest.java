package io.sluice.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminGuardTest {

    @AdminOnly
    static class OperatorResource {
        public void anything() {
        }
    }

    static class MixedResource {
        @AdminOnly
        public void change() {
        }

        public void read() {
        }
    }

    @Test
    void aClassAnnotationGuardsEveryMethodAndAMethodAnnotationOnlyItsMethod() throws Exception {
        assertThat(AdminGuard.adminOnly(OperatorResource.class, OperatorResource.class.getMethod("anything")))
                .isTrue();
        assertThat(AdminGuard.adminOnly(MixedResource.class, MixedResource.class.getMethod("change"))).isTrue();
        assertThat(AdminGuard.adminOnly(MixedResource.class, MixedResource.class.getMethod("read"))).isFalse();
        assertThat(AdminGuard.adminOnly(null, null)).isFalse();
    }

    @Test
    void theKeySchemeIsServiceDotAdminDotToken() {
        assertThat(AdminToken.keyFor("cache-service")).isEqualTo("cache-service.admin.token");
    }
}
