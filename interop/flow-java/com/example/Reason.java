package com.example;

/** A POJO as a Flow-Java workflow would carry it: non-final, bean properties. */
public class Reason {
    private int code;
    private String text;

    public Reason() {}

    public Reason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int getCode() { return code; }
    public void setCode(int code) { this.code = code; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }

    @Override
    public String toString() { return "Reason{code=" + code + ", text=" + text + "}"; }
}
