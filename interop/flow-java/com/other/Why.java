package com.other;

import java.util.List;

/** A POJO with a collection of POJOs and a boxed field, in another package. */
public class Why {
    private long count;
    private List<com.example.Reason> reasons;

    public Why() {}

    public Why(long count, List<com.example.Reason> reasons) {
        this.count = count;
        this.reasons = reasons;
    }

    public long getCount() { return count; }
    public void setCount(long count) { this.count = count; }
    public List<com.example.Reason> getReasons() { return reasons; }
    public void setReasons(List<com.example.Reason> reasons) { this.reasons = reasons; }

    @Override
    public String toString() { return "Why{count=" + count + ", reasons=" + reasons + "}"; }
}
