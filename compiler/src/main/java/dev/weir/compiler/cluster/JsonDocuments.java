package dev.weir.compiler.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The values of a JSON file ({@code kubectl get -o json} writes one, a stream of them is read too), one at a
 * time, with the keys each gives twice. Read by a JSON parser rather than as YAML: JSON is YAML in theory, but
 * SnakeYAML refuses the tabs JSON is often indented with.
 */
final class JsonDocuments implements InputDocuments {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .build();

    private final Path file;
    private final JsonParser parser;
    private int number;
    private JsonToken start;

    private JsonDocuments(Path file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    static JsonDocuments open(Path file) throws IOException {
        return new JsonDocuments(file, JSON.createParser(Files.newInputStream(file)));
    }

    @Override
    public boolean hasNext() {
        if (start == null) {
            start = read(number + 1, parser::nextToken);
        }
        return start != null;
    }

    @Override
    public InputDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        number++;
        start = null;
        var duplicates = new ArrayList<InputDocument.DuplicateKey>();
        JsonNode content = read(number, () -> value(new ArrayDeque<>(), duplicates));
        return new InputDocument(number, content.isNull() ? null : content, duplicates);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private JsonNode value(Deque<Object> path, List<InputDocument.DuplicateKey> duplicates) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode map = JsonNodeFactory.instance.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int line = parser.currentLocation().getLineNr();
                    parser.nextToken();
                    path.addLast(key);
                    JsonNode value = value(path, duplicates);
                    path.removeLast();
                    if (map.has(key)) {
                        duplicates.add(new InputDocument.DuplicateKey(new FieldPath(List.copyOf(path)), key, line));
                    } else {
                        map.set(key, value);
                    }
                }
                yield map;
            }
            case START_ARRAY -> {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    path.addLast(list.size());
                    list.add(value(path, duplicates));
                    path.removeLast();
                }
                yield list;
            }
            case VALUE_STRING -> JsonNodeFactory.instance.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
                case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
                default -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(parser.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(token == JsonToken.VALUE_TRUE);
            default -> JsonNodeFactory.instance.nullNode();
        };
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    private <T> T read(int document, Step<T> step) {
        try {
            return step.run();
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage().lines().findFirst().orElse("");
            if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
                message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            }
            throw new ClusterLoadException(file + " (document " + document + "): invalid JSON: " + message, e);
        } catch (IOException e) {
            throw new ClusterLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
