package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The index and wheel downloads' GET: redirects to another host followed, the final URI kept, timeouts thrown. */
class HttpGetTest {

  @Test
  void aRedirectToAFileHostIsFollowedAndTheFinalUriIsWhatRelativeLinksResolveAgainst() throws Exception {
    HttpServer files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpServer index = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] page = "<a href=\"demo-1.0-py3-none-any.whl\">demo</a>".getBytes(StandardCharsets.UTF_8);
    files.createContext("/", e -> {
      e.getResponseHeaders().add("Content-Type", "text/html");
      e.sendResponseHeaders(200, page.length);
      e.getResponseBody().write(page);
      e.close();
    });
    String moved = "http://127.0.0.1:" + files.getAddress().getPort() + "/simple/demo/";
    index.createContext("/", e -> {
      e.getResponseHeaders().add("Location", moved);
      e.sendResponseHeaders(301, -1);
      e.close();
    });
    files.start();
    index.start();
    try {
      SimpleIndex simple = new SimpleIndex("http://127.0.0.1:" + index.getAddress().getPort() + "/simple");
      List<IndexFile> found = simple.files("demo");
      assertEquals(List.of(URI.create(moved + "demo-1.0-py3-none-any.whl")), found.stream().map(IndexFile::url).toList());
    } finally {
      index.stop(0);
      files.stop(0);
    }
  }

  @Test
  void aServerThatNeverAnswersEndsInATimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      assertThrows(SocketTimeoutException.class, () -> HttpGet.send(
          URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/simple/demo/"), null, Duration.ofSeconds(1)));
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
