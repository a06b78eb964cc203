// Operations name statuses and headers (`.created`, `.wwwAuthenticate`) in code that imports only
// TernAPI; those come from HTTPTypes.
@_exported import HTTPTypes
