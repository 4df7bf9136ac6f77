package dev.datahub.python;

import dev.datahub.Redirects;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One GET of a package index page or a wheel, on {@link HttpURLConnection}: a build fetches a few pages and files, and
 * {@code java.net.http} would add ~450 classes and a selector thread that delays the JVM's exit. Redirects are
 * followed as {@code java.net.http}'s {@code NORMAL} did (any, except from HTTPS to HTTP), across http/https too.
 */
final class HttpGet {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_REDIRECTS = 5;

  /** An answer: its status, the URI it came from after redirects, its body (close it). */
  record Response(int status, URI uri, String contentType, InputStream body) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private HttpGet() {}

  /** @throws SocketTimeoutException on a connect or read timeout ({@code timeout} between two reads) */
  static Response send(URI uri, String accept, Duration timeout) throws IOException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      connection.setRequestProperty("User-Agent", "datahub-maven-plugin");
      if (accept != null) {
        connection.setRequestProperty("Accept", accept);
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      InputStream body = in == null ? InputStream.nullInputStream() : in;
      Optional<URI> next = hop < MAX_REDIRECTS
          ? Redirects.target(current, status, connection.getHeaderField("Location")) : Optional.empty();
      if (next.isPresent()) {
        try (body) {
          body.transferTo(OutputStream.nullOutputStream());
        }
        current = next.get();
        continue;
      }
      return new Response(status, current, connection.getContentType(), body);
    }
  }
}
