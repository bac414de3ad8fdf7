package io.sluice.common.problem;

/** One invalid input: where it is ({@code field}, a JSON path or a parameter name) and what is wrong. */
public record FieldError(String field, String message) {
}
