package dev.datahub.bench;

import dev.datahub.fixtures.HandWrittenBase;
import dev.datahub.fixtures.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Starts fixtures/LocalRegistry for bench/jib-peer.py with the build-image benchmark's base (one 32 MiB layer of
 * incompressible data) as {@code bench/base:1}, writes the registry's host to the file named by the first argument,
 * and stops the registry when standard input closes.
 */
public final class RegistryForBench {

  private RegistryForBench() {}

  public static void main(String[] args) throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      byte[] blob = new byte[32 * 1024 * 1024];
      new Random(1).nextBytes(blob);
      HandWrittenBase.create().dir("/opt", 0755, 0, 0).file("/opt/blob.bin", blob, 0644, 0, 0)
          .push(registry, "bench/base:1");
      Path out = Path.of(args[0]);
      Path partial = out.resolveSibling(out.getFileName() + ".partial");
      Files.writeString(partial, registry.host() + "\n", StandardCharsets.UTF_8);
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
