package io.sluice.server;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * As light an HTTP client as a browser's connection, and as a browser does it takes gzip and keeps
 * a cache: it asks again for what it has with its ETag ({@code If-None-Match}), so an unchanged
 * answer comes back as a bodiless 304. One kept-alive HTTP/1.1 connection that sends GETs and
 * reads the answers' bodies into nothing, so that a load test measures the server, not its client.
 */
final class PageViewer implements AutoCloseable {

  private final String host;
  private final int port;
  private final byte[] skip = new byte[16 * 1024];
  /** The ETag of each path's last answer: the browser's cache, without the bodies. */
  private final Map<String, String> etags = new HashMap<>();
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  PageViewer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** GETs {@code path}, reads its body to the end and returns its status code. */
  int get(String path) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout(60_000);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    String cached = etags.get(path);
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
        + (cached == null ? "" : "If-None-Match: " + cached + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = line();
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closes = true;
      } else if (lower.startsWith("etag:") && code == 200) {
        etags.put(path, header.substring(5).trim());
      }
    }
    if (code == 304 || code == 204) {
      // no body, whatever the headers say
    } else if (chunked) {
      for (long size = chunk(); size > 0; size = chunk()) {
        skip(size);
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      while (in.read(skip) >= 0) {
        // a body that ends with the connection
      }
      closes = true;
    }
    if (closes) {
      close();
    }
    return code;
  }

  private long chunk() throws IOException {
    String size = line();
    int semicolon = size.indexOf(';');
    return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
  }

  private void skip(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      int read = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (read < 0) {
        throw new EOFException("The server closed the connection " + left + " bytes before the body's end");
      }
      left -= read;
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("The server closed the connection in the middle of an answer");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
