package dev.kino.control.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * One entry of the route table, with the metadata the OpenAPI document is generated from.
 *
 * @param method HTTP method
 * @param template path template such as {@code /api/v1/me/sessions/{id}}
 * @param handler what answers it
 * @param executor where the request is parsed, authenticated and handled, handed over straight from the connection's
 *                 event loop ({@link Router.RouteBuilder#executor}); null for the server's blocking pool
 *                 ({@code control.blockingThreads})
 * @param doc documentation
 */
public record Route(HttpMethod method, String template, Handler handler, Executor executor, Doc doc) {

    /**
     * @param operationId unique name of the operation
     * @param summary one line
     * @param tag group in the document
     * @param authenticated a bearer token is required
     * @param requestType JSON request body type, or null
     * @param status success status
     * @param responseType JSON response type, or null for no body
     * @param pageOf when the response is a {@link Page}, its item type
     * @param queryParams documented query parameters
     * @param errors problem statuses the route can answer besides the runtime's generic ones
     * @param csv the success answer is also available as {@code text/csv} ({@code Accept: text/csv})
     */
    public record Doc(String operationId, String summary, String tag, boolean authenticated, Class<?> requestType,
                      int status, Class<?> responseType, Class<?> pageOf, List<QueryParam> queryParams,
                      List<Integer> errors, boolean csv) {
        public Doc(String operationId, String summary, String tag, boolean authenticated, Class<?> requestType,
                   int status, Class<?> responseType, Class<?> pageOf, List<QueryParam> queryParams,
                   List<Integer> errors) {
            this(operationId, summary, tag, authenticated, requestType, status, responseType, pageOf, queryParams,
                    errors, false);
        }
    }

    /**
     * @param name parameter name
     * @param type JSON schema type ({@code string}, {@code integer})
     * @param description what it does
     */
    public record QueryParam(String name, String type, String description) {
    }

    List<String> segments() {
        return Router.split(template);
    }
}
