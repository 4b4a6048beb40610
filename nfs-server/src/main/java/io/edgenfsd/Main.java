package io.edgenfsd;

public final class Main {
    public static void main(String[] args) {
        System.out.println("edge-nfsd");
    }
}
