package vtgraphtest

import (
	"net/http"

	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// The added routes declare their errors as shared responses (BadRequest,
// NotFound, …), so their typed error responses wrap those.

func (e *apiError) badRequest() vtapiserver.BadRequestJSONResponse {
	return vtapiserver.BadRequestJSONResponse(e.body())
}

func (e *apiError) notFound() vtapiserver.NotFoundJSONResponse {
	return vtapiserver.NotFoundJSONResponse(e.body())
}

func (e *apiError) getFile() vtapiserver.GetFileResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetFile403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetFile404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetFile400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getURL() vtapiserver.GetUrlResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetUrl403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetUrl404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetUrl400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getDomain() vtapiserver.GetDomainResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetDomain403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetDomain404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetDomain400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getIPAddress() vtapiserver.GetIpAddressResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetIpAddress403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetIpAddress404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetIpAddress400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getFileRelationship() vtapiserver.GetFileRelationshipResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetFileRelationship403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetFileRelationship404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetFileRelationship400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getURLRelationship() vtapiserver.GetUrlRelationshipResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetUrlRelationship403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetUrlRelationship404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetUrlRelationship400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getDomainRelationship() vtapiserver.GetDomainRelationshipResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetDomainRelationship403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetDomainRelationship404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetDomainRelationship400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getIPAddressRelationship() vtapiserver.GetIpAddressRelationshipResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetIpAddressRelationship403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetIpAddressRelationship404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetIpAddressRelationship400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getFileRelationshipDescriptors() vtapiserver.GetFileRelationshipDescriptorsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetFileRelationshipDescriptors403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetFileRelationshipDescriptors404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetFileRelationshipDescriptors400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getURLRelationshipDescriptors() vtapiserver.GetUrlRelationshipDescriptorsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetUrlRelationshipDescriptors403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetUrlRelationshipDescriptors404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetUrlRelationshipDescriptors400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getDomainRelationshipDescriptors() vtapiserver.GetDomainRelationshipDescriptorsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetDomainRelationshipDescriptors403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetDomainRelationshipDescriptors404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetDomainRelationshipDescriptors400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) getIPAddressRelationshipDescriptors() vtapiserver.GetIpAddressRelationshipDescriptorsResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GetIpAddressRelationshipDescriptors403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GetIpAddressRelationshipDescriptors404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GetIpAddressRelationshipDescriptors400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) intelligenceSearch() vtapiserver.IntelligenceSearchResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.IntelligenceSearch403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.IntelligenceSearch404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.IntelligenceSearch400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) graphsOwner() vtapiserver.GraphsOwnerResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsOwner403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsOwner404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GraphsOwner400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}

func (e *apiError) graphsGroup() vtapiserver.GraphsGroupResponseObject {
	switch e.status {
	case http.StatusForbidden:
		return vtapiserver.GraphsGroup403JSONResponse{ForbiddenJSONResponse: e.forbidden()}
	case http.StatusNotFound:
		return vtapiserver.GraphsGroup404JSONResponse{NotFoundJSONResponse: e.notFound()}
	}
	return vtapiserver.GraphsGroup400JSONResponse{BadRequestJSONResponse: e.badRequest()}
}
