package io.hps.protocol;

/** Prints the digest of the result file named by its argument: {@link ProvenanceTest} runs it in another JVM. */
public final class DigestMain {
  private DigestMain() {}

  public static void main(String[] args) throws Exception {
    Result r = io.hps.json.Json.MAPPER.readValue(java.nio.file.Path.of(args[0]).toFile(), Result.class);
    System.out.println(Provenance.digest(r));
  }
}
