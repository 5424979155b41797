package com.example;

import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The signal methods of a Flow-Java workflow, with the parameter types a Java author would
 * declare. Each method reports what it received, with the runtime classes, so the Rust test
 * can check that every argument reached its declared type.
 */
public class OrderSignals {
    public final StringBuilder seen = new StringBuilder();

    private void saw(String method, Object... args) {
        seen.append(method);
        for (Object a : args) {
            seen.append(' ').append(describe(a));
        }
    }

    static String describe(Object a) {
        if (a == null) return "null";
        if (a instanceof List || a instanceof Map) {
            return a.getClass().getSimpleName() + a.toString() + types(a);
        }
        if (a instanceof Date) return "Date(" + ((Date) a).getTime() + ")";
        return a.getClass().getSimpleName() + "(" + a + ")";
    }

    /** The element (or value) classes of a collection, which erasure would otherwise hide. */
    static String types(Object a) {
        StringBuilder b = new StringBuilder("<");
        Iterable<?> items = a instanceof Map ? ((Map<?, ?>) a).values() : (List<?>) a;
        for (Object o : items) b.append(o == null ? "null" : o.getClass().getSimpleName()).append(';');
        return b.append('>').toString();
    }

    public void ping() { saw("ping"); }

    public void cancel(String reason) { saw("cancel", reason); }

    public void move(int x, long y) { saw("move", x, y); }

    public void approve(String approver, Short level) { saw("approve", approver, level); }

    public void everything(byte a, short b, short c, long d, BigInteger e, float f, double g,
                           char h, boolean i, String j) {
        saw("everything", a, b, c, d, e, f, g, h, i, j);
    }

    public void nested(List<Long> xs, Map<String, Long> m, Object[] pair, Reason r, Color c) {
        saw("nested", xs, m, java.util.Arrays.asList(pair), r, c);
    }

    public void dated(Date at, com.other.Why why, List<Reason> all) { saw("dated", at, why, all); }

    public void widened(long fromInt, double fromLong, int fromShort) {
        saw("widened", fromInt, fromLong, fromShort);
    }
}
