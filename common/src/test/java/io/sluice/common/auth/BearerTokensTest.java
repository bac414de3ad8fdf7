package io.sluice.common.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

class BearerTokensTest {

    @Test
    void theConfiguredTokenPassesInAnyCaseOfTheScheme() {
        assertThatCode(() -> BearerTokens.requireAdmin("Bearer s3cret", Optional.of("s3cret"), "x.token"))
                .doesNotThrowAnyException();
        assertThatCode(() -> BearerTokens.requireAdmin("bearer s3cret ", Optional.of("s3cret"), "x.token"))
                .doesNotThrowAnyException();
        assertThatCode(() -> BearerTokens.require("Bearer b", List.of("a", "b"), "a client token"))
                .doesNotThrowAnyException();
    }

    @Test
    void noConfiguredTokenClosesTheEndpointsWith403NamingTheKey() {
        for (Optional<String> none : List.of(Optional.<String>empty(), Optional.of("  "))) {
            assertThatThrownBy(() -> BearerTokens.requireAdmin("Bearer x", none, "svc.admin.token"))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        org.assertj.core.api.Assertions.assertThat(p.type()).isEqualTo(CommonProblem.FORBIDDEN);
                        org.assertj.core.api.Assertions.assertThat(p.getMessage()).contains("svc.admin.token");
                    });
        }
    }

    @Test
    void aMissingOrWrongTokenIs401WithABearerChallenge() {
        for (String header : new String[] { null, "", "Basic czNjcmV0", "Bearer nope", "Bearer s3cret-and-more" }) {
            assertThatThrownBy(() -> BearerTokens.requireAdmin(header, Optional.of("s3cret"), "x.token"))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        org.assertj.core.api.Assertions.assertThat(p.type()).isEqualTo(CommonProblem.UNAUTHORIZED);
                        org.assertj.core.api.Assertions.assertThat(p.headers()).containsKey("WWW-Authenticate");
                    });
        }
    }
}
