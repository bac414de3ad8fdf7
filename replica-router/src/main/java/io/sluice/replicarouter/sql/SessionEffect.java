package io.sluice.replicarouter.sql;

/**
 * What running a statement may leave behind on its pooled connection, and whether the router runs it at all.
 * {@code NONE}: provably nothing (a plain read). {@code RESET}: possibly something the text does not show (a
 * write can fire a trigger, a function can call set_config), so the connection is reset before it goes back.
 * {@code REFUSED}: session state by design (BEGIN, SET, LISTEN...), answered with a 400 saying what to use instead.
 */
public record SessionEffect(Kind kind, String what, String instead) {

    public enum Kind {
        NONE, RESET, REFUSED
    }

    public static final SessionEffect NONE = new SessionEffect(Kind.NONE, null, null);
    public static final SessionEffect RESET = new SessionEffect(Kind.RESET, null, null);

    static SessionEffect refused(String what, String instead) {
        return new SessionEffect(Kind.REFUSED, what, instead);
    }

    public boolean refused() {
        return kind == Kind.REFUSED;
    }

    public boolean needsReset() {
        return kind == Kind.RESET;
    }

    /** The stronger of two effects, for a batch: one refused statement refuses it, one reset resets it. */
    public SessionEffect and(SessionEffect other) {
        return other.kind.ordinal() > kind.ordinal() ? other : this;
    }
}
