/* The OpenAPI 3.1 description of Parley's HTTP API. */
#ifndef API_OPENAPI_H
#define API_OPENAPI_H

#include <jansson.h>

/* A new OpenAPI document (caller decrefs) covering every route in routes[]. */
json_t *openapi_document(const char *version);

#endif
