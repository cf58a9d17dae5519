package vtgraphtest

import (
	"fmt"
	"net/http"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// apiError is an error a handler answers with. Handlers only produce 400, 403
// and 404: 401 and 429 come from the layers in front of the strict handler.
// The methods below turn it into each operation's typed response, so every
// error a handler returns is one the spec declares.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string {
	return e.code + ": " + e.message
}

func badRequest(code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *apiError {
	return &apiError{status: http.StatusForbidden, code: "ForbiddenError", message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, code: "NotFoundError", message: fmt.Sprintf(format, args...)}
}

func (e *apiError) body() vtapi.ErrorResponse {
	return vtapi.ErrorResponse{Error: vtapi.Error{Code: e.code, Message: e.message}}
}

func (e *apiError) forbidden() vtapiserver.ForbiddenJSONResponse {
	return vtapiserver.ForbiddenJSONResponse(e.body())
}

func (e *apiError) graphs() vtapiserver.GraphsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.Graphs403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.Graphs404JSONResponse(e.body())
	}
	return vtapiserver.Graphs400JSONResponse(e.body())
}

func (e *apiError) createGraphs() vtapiserver.CreateGraphsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.CreateGraphs403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.CreateGraphs404JSONResponse(e.body())
	}
	return vtapiserver.CreateGraphs400JSONResponse(e.body())
}

func (e *apiError) graphsDelete() vtapiserver.GraphsDeleteResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsDelete403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsDelete404JSONResponse(e.body())
	}
	return vtapiserver.GraphsDelete400JSONResponse(e.body())
}

func (e *apiError) graphsInfo() vtapiserver.GraphsInfoResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsInfo403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsInfo404JSONResponse(e.body())
	}
	return vtapiserver.GraphsInfo400JSONResponse(e.body())
}

func (e *apiError) graphsUpdate() vtapiserver.GraphsUpdateResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsUpdate403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsUpdate404JSONResponse(e.body())
	}
	return vtapiserver.GraphsUpdate400JSONResponse(e.body())
}

func (e *apiError) getGraphComments() vtapiserver.GetGraphCommentsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetGraphComments403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetGraphComments404JSONResponse(e.body())
	}
	return vtapiserver.GetGraphComments400JSONResponse(e.body())
}

func (e *apiError) postGraphsComments() vtapiserver.PostGraphsCommentsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.PostGraphsComments403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.PostGraphsComments404JSONResponse(e.body())
	}
	return vtapiserver.PostGraphsComments400JSONResponse(e.body())
}

func (e *apiError) graphsEditors() vtapiserver.GraphsEditorsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsEditors403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsEditors404JSONResponse(e.body())
	}
	return vtapiserver.GraphsEditors400JSONResponse(e.body())
}

func (e *apiError) graphsAddEditor() vtapiserver.GraphsAddEditorResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsAddEditor403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsAddEditor404JSONResponse(e.body())
	}
	return vtapiserver.GraphsAddEditor400JSONResponse(e.body())
}

func (e *apiError) graphsDeleteEditor() vtapiserver.GraphsDeleteEditorResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsDeleteEditor403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsDeleteEditor404JSONResponse(e.body())
	}
	return vtapiserver.GraphsDeleteEditor400JSONResponse(e.body())
}

func (e *apiError) graphsCheckEditor() vtapiserver.GraphsCheckEditorResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsCheckEditor403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsCheckEditor404JSONResponse(e.body())
	}
	return vtapiserver.GraphsCheckEditor400JSONResponse(e.body())
}

func (e *apiError) graphsViewers() vtapiserver.GraphsViewersResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsViewers403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsViewers404JSONResponse(e.body())
	}
	return vtapiserver.GraphsViewers400JSONResponse(e.body())
}

func (e *apiError) graphsAddViewer() vtapiserver.GraphsAddViewerResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsAddViewer403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsAddViewer404JSONResponse(e.body())
	}
	return vtapiserver.GraphsAddViewer400JSONResponse(e.body())
}

func (e *apiError) graphsDeleteViewer() vtapiserver.GraphsDeleteViewerResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsDeleteViewer403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsDeleteViewer404JSONResponse(e.body())
	}
	return vtapiserver.GraphsDeleteViewer400JSONResponse(e.body())
}

func (e *apiError) graphsCheckViewer() vtapiserver.GraphsCheckViewerResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsCheckViewer403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsCheckViewer404JSONResponse(e.body())
	}
	return vtapiserver.GraphsCheckViewer400JSONResponse(e.body())
}

func (e *apiError) graphsRelationshipsIds() vtapiserver.GraphsRelationshipsIdsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsRelationshipsIds403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsRelationshipsIds404JSONResponse(e.body())
	}
	return vtapiserver.GraphsRelationshipsIds400JSONResponse(e.body())
}

func (e *apiError) graphsRelationships() vtapiserver.GraphsRelationshipsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsRelationships403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsRelationships404JSONResponse(e.body())
	}
	return vtapiserver.GraphsRelationships400JSONResponse(e.body())
}
