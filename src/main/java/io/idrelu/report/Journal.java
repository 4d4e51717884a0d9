package io.idrelu.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.cli.UsageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DIR/journal.jsonl}: the finished units of a check, so that {@code --resume} loses at most the
 * units that were in progress. Line 1 is a header with the configuration and shard; every further line
 * is one finished unit {@code {"id", "seconds", "result"}}, appended and forced to disk (fsync) before
 * the unit counts as done. A last line without its newline or that does not parse was torn by a kill
 * and is dropped (and cut off before anything is appended).
 */
public final class Journal implements AutoCloseable {
    public static final String FILE = "journal.jsonl";
    private static final ObjectMapper LINE = new ObjectMapper();

    private final FileChannel channel;
    private final Map<String, Finished> finished;

    /** A finished unit read back from the journal. */
    public record Finished(String id, ObjectNode result, double seconds) { }

    private Journal(FileChannel channel, Map<String, Finished> finished) {
        this.channel = channel;
        this.finished = finished;
    }

    /** Units finished before this run (empty for a fresh journal). */
    public Map<String, Finished> finished() {
        return finished;
    }

    /**
     * Reads the journal in {@code dir} for {@code --resume} without touching it: the finished units, or
     * a usage error naming the first configuration field that differs. Returns an empty map when there
     * is no journal.
     */
    public static Map<String, Finished> readForResume(Path dir, ObjectNode header) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Map.of();
        }
        Parsed p = parse(file);
        if (p.header == null) {
            return Map.of();
        }
        String diff = CheckConfig.firstDifference(ResultJson.normalise(header), p.header);
        if (diff != null) {
            throw new UsageException("--resume: journal " + file + " was written with a different configuration: "
                    + diff.replaceFirst(" \\(", " (now vs journal: ") + "; rerun without --resume to start over");
        }
        return p.finished;
    }

    /**
     * Opens the journal for appending. With {@code resume}, keeps the valid lines (cutting a torn tail)
     * and their finished units; otherwise starts a new journal with {@code header}.
     */
    public static Journal open(Path dir, ObjectNode header, boolean resume) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Map<String, Finished> done = new LinkedHashMap<>();
            long keep = 0;
            if (resume && Files.exists(file)) {
                Parsed p = parse(file);
                if (p.header != null) {
                    done.putAll(p.finished);
                    keep = p.validBytes;
                }
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.truncate(keep);
            ch.position(keep);
            Journal j = new Journal(ch, done);
            if (keep == 0) {
                j.appendLine(header);
            }
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records a finished unit: one line, forced to disk before returning. */
    public synchronized void append(String id, ObjectNode result, double seconds) {
        ObjectNode line = LINE.createObjectNode();
        line.put("id", id);
        line.put("seconds", seconds);
        line.set("result", result);
        appendLine(line);
    }

    private void appendLine(JsonNode node) {
        try {
            byte[] bytes = (LINE.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to journal: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal: " + e.getMessage(), e);
        }
    }

    private record Parsed(ObjectNode header, Map<String, Finished> finished, long validBytes) { }

    private static Parsed parse(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
        ObjectNode header = null;
        Map<String, Finished> done = new LinkedHashMap<>();
        long valid = 0;
        int start = 0;
        int lineNo = 0;
        while (start < all.length) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            if (nl == all.length) {
                break; // no newline: torn by a kill while writing
            }
            String text = new String(all, start, nl - start, StandardCharsets.UTF_8);
            lineNo++;
            JsonNode node;
            try {
                node = LINE.readTree(text);
            } catch (JsonProcessingException e) {
                if (nl + 1 >= all.length) {
                    break; // a garbled last line is torn too
                }
                throw new UsageException("journal " + file + " line " + lineNo + " is not JSON (" + e.getOriginalMessage()
                        + "): expected one JSON object per line; rerun without --resume to start over");
            }
            if (!(node instanceof ObjectNode o)) {
                throw new UsageException("journal " + file + " line " + lineNo + ": expected a JSON object");
            }
            if (header == null) {
                header = o;
            } else {
                String id = o.path("id").asText();
                done.put(id, new Finished(id, (ObjectNode) ResultJson.normalise(o.path("result")), o.path("seconds").asDouble()));
            }
            valid = nl + 1L;
            start = nl + 1;
        }
        return new Parsed(header, done, valid);
    }
}
