package io.sluice.replicarouter.sql;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** One statement and its positional parameters ($1, $2, ...), as the Neon SQL-over-HTTP driver sends it. */
public record SqlRequest(@NotBlank @Size(max = 1_000_000) String query, @Size(max = 65_535) List<Object> params) {

    public List<Object> paramsOrEmpty() {
        return params == null ? List.of() : params;
    }
}
