package io.nautilus.jobs;
public class Main { public static void main(String[] a) {} }
