/* Parley's version, shown by `parley version`, /healthz and the OpenAPI document. */
#ifndef VERSION_H
#define VERSION_H

#define PARLEY_VERSION "0.1.0"

#endif
