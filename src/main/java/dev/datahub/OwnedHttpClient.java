package dev.datahub;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A {@link HttpClient} that is created on first use and stopped on {@link #close()}.
 *
 * <p>Why: every {@code java.net.http.HttpClient} starts a selector thread that waits in native
 * {@code epoll_wait} until the client is garbage-collected. At JVM exit HotSpot waits up to 300 ms
 * for threads in native code to block ({@code VM_Exit::wait_for_threads_in_native_to_block}), so one
 * forgotten client makes every {@code mvn} command ~0.33 s slower after its last line. Java 21 can
 * {@code close()} a client; on Java 17 the selector thread ends its loop when interrupted (the
 * interrupt wakes the selector and the thread closes the client's connections on its way out).
 */
public final class OwnedHttpClient implements AutoCloseable, Supplier<HttpClient> {

  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

  private final Supplier<HttpClient> factory;
  private final boolean owned;
  private HttpClient client;

  private OwnedHttpClient(Supplier<HttpClient> factory, HttpClient client, boolean owned) {
    this.factory = factory;
    this.client = client;
    this.owned = owned;
  }

  /** A client built by {@code factory} when first needed, stopped by {@link #close()}. */
  public static OwnedHttpClient lazy(Supplier<HttpClient> factory) {
    return new OwnedHttpClient(factory, null, true);
  }

  /** A client that someone else owns: {@link #close()} leaves it running. */
  public static OwnedHttpClient borrowed(HttpClient client) {
    return new OwnedHttpClient(() -> client, client, false);
  }

  /** HTTP/1.1 (no h2c upgrade: some proxies answer it with an empty reply), with a connect timeout. */
  public static OwnedHttpClient http11(Duration connectTimeout, HttpClient.Redirect redirects) {
    return lazy(() -> HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(redirects)
        .build());
  }

  /**
   * Like {@link #http11} for a client that only ever talks to {@code http://} and {@code ws://} URLs: it refuses TLS
   * (every {@code https://} request fails with "TLS refused"), so building it does not set up the JVM's TLS stack.
   * Without an {@link SSLContext} of its own, {@code HttpClient.build()} calls {@code SSLContext.getDefault()}, which
   * loads the security providers, the cipher suites and the trust store: ~0.5 s on this machine before the first
   * plain-HTTP request (BENCHMARKS.md, "Smoke test against a requests + websocket client").
   */
  public static OwnedHttpClient plainHttp11(Duration connectTimeout, HttpClient.Redirect redirects) {
    return lazy(() -> HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(redirects)
        .sslContext(TlsRefused.CONTEXT)
        .sslParameters(new SSLParameters()) // else build() asks the context for its defaults
        .build());
  }

  /** An {@link SSLContext} that cannot make a connection: a plain-HTTP client's, so TLS fails closed. */
  private static final class TlsRefused extends SSLContextSpi {

    static final SSLContext CONTEXT = new SSLContext(new TlsRefused(), null, "none") { };

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("TLS refused: this client speaks plain HTTP only");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }

  @Override
  public synchronized HttpClient get() {
    if (client == null) {
      client = factory.get();
    }
    return client;
  }

  /** Whether a client was built (and not yet stopped). */
  public synchronized boolean created() {
    return client != null;
  }

  /** Stops the client if this object built it; a later {@link #get()} builds a new one. */
  @Override
  public synchronized void close() {
    if (!owned || client == null) {
      return;
    }
    HttpClient stopping = client;
    client = null;
    stop(stopping);
  }

  /** Ends the client's selector thread (no request may be in flight). */
  public static void stop(HttpClient client) {
    Object any = client;
    if (any instanceof AutoCloseable closeable) { // Java 21 and later
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing is in flight; a failure to close leaves only the exit delay
      }
      return;
    }
    Matcher id = CLIENT_ID.matcher(client.toString()); // jdk.internal.net.http.HttpClientImpl@hash(id)
    if (!id.find()) {
      return;
    }
    String name = "HttpClient-" + id.group(1) + "-SelectorManager";
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(name)) {
        thread.interrupt();
        try {
          thread.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
