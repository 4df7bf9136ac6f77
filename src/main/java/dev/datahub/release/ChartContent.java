package dev.datahub.release;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content digest of a chart, what the promotion gate compares.
 *
 * <ul>
 *   <li>A local chart directory: SHA-256 over every regular file under it, path and bytes, in path order. Symbolic
 *       links are followed as Helm's loader follows them (a subchart under {@code charts/} that is a link to another
 *       directory is hashed as the files Helm reads through the link). {@code .helmignore} is not applied: a file Helm
 *       ignores still changes the digest, which can refuse a promotion but never lets an untested one through.
 *   <li>A repository chart: SHA-256 of the archive bytes that were downloaded and verified, the bytes Helm gets.
 * </ul>
 */
public final class ChartContent {

  private ChartContent() {}

  /** Digest of a local chart directory (or a local chart archive). */
  public static String ofLocal(Path root) {
    if (Files.isRegularFile(root)) {
      try {
        return ofArchive(Files.readAllBytes(root));
      } catch (IOException e) {
        throw new DataHubException("cannot read chart archive " + root + ": " + e.getMessage());
      }
    }
    try (Stream<Path> files = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
      Hashing.Digest digest = Hashing.digest();
      for (Path file : sorted) {
        digest.update(root.relativize(file).toString().replace('\\', '/'));
        digest.update(Files.readAllBytes(file));
      }
      return digest.hex();
    } catch (java.io.UncheckedIOException e) {
      throw unreadable(root, e.getCause());
    } catch (IOException e) {
      throw unreadable(root, e);
    }
  }

  /** {@code sha256:<hex>} of an archive's bytes, as {@code index.yaml} lists it (there without the prefix). */
  public static String ofArchive(byte[] archive) {
    try {
      return "sha256:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(archive));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DataHubException unreadable(Path root, IOException e) {
    if (e instanceof FileSystemLoopException) {
      return new DataHubException("chart " + root + " contains a symbolic link loop at " + e.getMessage()
          + " — Helm cannot load it either; remove the link");
    }
    return new DataHubException("cannot read chart " + root + ": " + e.getMessage() + " — check the chart directory");
  }
}
