package dev.datahub.bench;

import dev.datahub.fixtures.LocalJupyterHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts fixtures/LocalJupyterHub for bench/smoke-peer.py, writes its URL and token to the file named
 * by the first argument, and stops the hub when standard input closes.
 */
public final class HubForBench {

  private HubForBench() {}

  public static void main(String[] args) throws Exception {
    try (LocalJupyterHub hub = LocalJupyterHub.start()) {
      Path out = Path.of(args[0]);
      Path partial = out.resolveSibling(out.getFileName() + ".partial");
      Files.writeString(partial, hub.url() + "\n" + hub.token() + "\n", StandardCharsets.UTF_8);
      Files.move(partial, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
