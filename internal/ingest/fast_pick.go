package ingest

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"github.com/idtriage/idtriage/internal/entra"
)

// The picker reads a flat sign-in (Graph's layout: the fields at the top)
// straight from its bytes into a leanBody, decoding only the groups of
// fields it is asked for and passing over the rest with the scanner of
// fast_scan.go. It fills the leanBody exactly as the JSON decoder would
// and keep would then trim it; when it cannot be sure of that (an escape
// in a kept string, a key spelled twice, an unexpected type, a key that
// makes the record something else) it gives up, and the record takes the
// JSON decoder's path as before. It is what makes hunting fast: most of a
// sign-in's 4.5 KB is policies and details no rule reads.

// Top-level keys the picker knows: those of leanBody, then the keys that
// make a record something other than a flat sign-in (foreignKeys, and the
// Event Hub "properties").
const (
	kID = iota
	kCreated
	kOriginalRequest
	kUserID
	kUPN
	kServicePrincipal
	kAppID
	kAppName
	kResourceName
	kClientApp
	kUserAgent
	kIPAddress
	kASN
	kLocation
	kLocationDetails
	kDevice
	kNetwork
	kStatus
	kResultType
	kSteps
	kProtocol
	kInteractive
	kEventTypes
	kRiskDuring
	kRiskAggregated
	kRiskState
	kRiskTypesV2
	kRiskTypes
	kForeign // the first of the keys that send the record elsewhere
	// kForeignArrays is the first of the two keys that do so only when
	// they hold an array: "value" and "records", the last two names.
	kForeignArrays = kForeign + 14
)

var topKeys = newKeyTable("id", "createdDateTime", "originalRequestId", "userId",
	"userPrincipalName", "servicePrincipalId", "appId", "appDisplayName",
	"resourceDisplayName", "clientAppUsed", "userAgent", "ipAddress",
	"autonomousSystemNumber", "location", "locationDetails", "deviceDetail",
	"networkLocationDetails", "status", "resultType", "authenticationDetails",
	"authenticationProtocol", "isInteractive", "signInEventTypes",
	"riskLevelDuringSignIn", "riskLevelAggregated", "riskState", "riskEventTypes_v2",
	"riskEventTypes",
	// foreignKeys and the envelope's body: present, any of them ends the pick.
	"properties", "type", "category", "@odata.type", "ip", "riskLastUpdatedDateTime",
	"isProcessing", "riskEventType", "riskType", "detectedDateTime",
	"activityDisplayName", "initiatedBy", "targetResources", "loggedByService",
	"value", "records")

// Keys of the nested objects.
var (
	locationKeys = newKeyTable("city", "countryOrRegion", "country", "geoCoordinates")
	geoKeys      = newKeyTable("latitude", "longitude")
	deviceKeys   = newKeyTable("deviceId", "isCompliant", "isManaged")
	statusKeys   = newKeyTable("errorCode", "additionalDetails")
	networkKeys  = newKeyTable("networkType", "networkNames")
	stepKeys     = newKeyTable("succeeded", "authenticationStepResultDetail")
)

// topGroup is the group each top-level key belongs to; the nested objects
// say theirs field by field.
var topGroup = [kForeign]entra.Fields{
	kID: entra.FieldBase, kCreated: entra.FieldBase, kOriginalRequest: entra.FieldBase,
	kUserID: entra.FieldBase, kUPN: entra.FieldBase, kIPAddress: entra.FieldBase,
	kResultType: entra.FieldBase, kStatus: entra.FieldBase, kLocation: entra.FieldBase,
	kLocationDetails:  entra.FieldBase,
	kServicePrincipal: entra.FieldKind, kAppID: entra.FieldApp, kAppName: entra.FieldApp,
	kResourceName: entra.FieldApp, kClientApp: entra.FieldApp,
	kUserAgent: entra.FieldAgent, kASN: entra.FieldASN, kDevice: entra.FieldDevice,
	kNetwork: entra.FieldNetwork, kSteps: entra.FieldAuth, kProtocol: entra.FieldAuth,
	kInteractive: entra.FieldKind, kEventTypes: entra.FieldKind,
	kRiskDuring: entra.FieldRisk, kRiskAggregated: entra.FieldRisk,
	kRiskState: entra.FieldRisk, kRiskTypesV2: entra.FieldRiskTypes,
	kRiskTypes: entra.FieldRiskTypes,
}

// picker holds one worker's state; it reuses its buffers across records.
type picker struct {
	t      text
	b      []byte
	fields entra.Fields
	body   *leanBody
	// size is the length of the strings kept, which point into b until
	// copyOut moves them into one allocation of their own.
	size int
	// nets, names and steps back body.Network and body.Steps; the
	// conversion to entra.SignIn copies what it keeps out of them.
	nets  []fastNet
	spans [][2]int
	names []string
	steps []leanStep
	// shapes are the keys of the objects walked last (fast_shape.go).
	shapes shapes
}

// pick reads the flat sign-in in b into body, or reports false. body must
// be zero.
func (p *picker) pick(b []byte, body *leanBody) bool {
	// The record is an object from its first byte to its last, as the
	// stream cuts it.
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	p.t.reset(b)
	// A key spelled with a rune that Unicode folds to ASCII ("ſtatus")
	// matches a field in the JSON decoder and not in the general one; such
	// a record goes to the general decoder (fastCandidate).
	if !p.t.ascii && (bytes.Contains(b, longS) || bytes.Contains(b, kelvin)) {
		return false
	}
	p.b, p.body, p.size = b, body, 0
	p.nets, p.spans, p.names, p.steps = p.nets[:0], p.spans[:0], p.names[:0], p.steps[:0]
	if i := p.top(0); i != len(b) {
		return false
	}
	p.copyOut()
	return true
}

// copyOut moves the strings the record keeps out of b, which is reused,
// into one new allocation. createdDateTime and the network types are only
// read while the record is converted, so they stay where they are.
func (p *picker) copyOut() {
	if p.size == 0 {
		return
	}
	arena := make([]byte, 0, p.size)
	move := func(s *string) {
		if n := len(*s); n > 0 {
			off := len(arena)
			arena = append(arena, *s...)
			*s = unsafe.String(unsafe.SliceData(arena[off:]), n)
		}
	}
	l := p.body
	for _, s := range [...]*string{&l.ID, &l.OriginalRequestID, &l.UserID,
		&l.UserPrincipalName, &l.ServicePrincipalID, &l.AppID, &l.AppDisplayName,
		&l.ResourceDisplayName, &l.ClientAppUsed, &l.UserAgent, &l.IPAddress,
		&l.Location.City, &l.Location.Country, &l.Location.Country2, &l.Device.ID,
		&l.Status.Details, &l.AuthProtocol, &l.RiskDuring, &l.RiskAggregated,
		&l.RiskState} {
		move(s)
	}
	for _, list := range [...][]string{p.names, l.EventTypes, l.RiskTypesV2, l.RiskTypes} {
		for j := range list {
			move(&list[j])
		}
	}
	for j := range p.steps {
		move(&p.steps[j].ResultDetail)
	}
}

// members walks the object at b[i] ('{'): for each member it calls
// value with the key's id in t (or -1) and the offset of its value, which
// returns the offset past the value or -1. A key met twice gives up. It
// returns the offset past the object, or -1.
func (p *picker) members(i, depth int, t *keyTable, value func(id, i int) int) int {
	if depth > pickDepth {
		return -1
	}
	b := p.b
	var seen uint64
	i = ws(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for at := 0; ; at++ {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		id, end := p.shapes.expected(b, i+1, t, at)
		if end < 0 {
			if p.t.plain && p.t.ascii {
				end = p.t.plainEnd(i + 1)
			} else {
				end = p.t.keyEnd(i + 1)
			}
			if end < 0 {
				return -1
			}
			id = t.find(b[i+1 : end])
			p.shapes.learn(b[i+1:end], t, at, id)
		}
		if id >= 0 {
			if seen&(1<<id) != 0 {
				return -1
			}
			seen |= 1 << id
		}
		if i = ws(b, end+1); i >= len(b) || b[i] != ':' {
			return -1
		}
		if i = ws(b, i+1); i >= len(b) {
			return -1
		}
		switch {
		case id < 0 && b[i] == '"':
			// Most members the picker passes over are strings.
			end := -1
			if p.t.plain {
				end = p.t.plainEnd(i + 1)
			} else {
				end, _ = p.t.stringEnd(i + 1)
			}
			i = end + 1
			if end < 0 {
				i = -1
			}
		case id < 0:
			i = p.t.passValue(i, depth)
		default:
			i = value(id, i)
		}
		if i < 0 {
			return -1
		}
		if comma(b, i) {
			i++
			continue
		}
		var done bool
		if i, done = afterItem(b, i, '}'); i < 0 || done {
			return i
		}
	}
}

// elements walks the array at b[i] ('['), calling value for each element.
func (p *picker) elements(i, depth int, value func(i int) int) int {
	if depth > pickDepth {
		return -1
	}
	b := p.b
	i = ws(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for {
		if i >= len(b) {
			return -1
		}
		if i = value(i); i < 0 {
			return -1
		}
		if comma(b, i) {
			i++
			continue
		}
		var done bool
		if i, done = afterItem(b, i, ']'); i < 0 || done {
			return i
		}
	}
}

// top reads the record's members.
func (p *picker) top(i int) int {
	l := p.body
	return p.members(i, 1, topKeys, func(id, i int) int {
		if id >= kForeign {
			return p.foreign(id, i)
		}
		keep := p.fields.Has(topGroup[id])
		switch id {
		case kID:
			return p.str(i, &l.ID, keep)
		case kCreated:
			return p.str(i, &l.CreatedDateTime, keep)
		case kOriginalRequest:
			return p.str(i, &l.OriginalRequestID, keep)
		case kUserID:
			return p.str(i, &l.UserID, keep)
		case kUPN:
			return p.str(i, &l.UserPrincipalName, keep)
		case kServicePrincipal:
			return p.str(i, &l.ServicePrincipalID, keep)
		case kAppID:
			return p.str(i, &l.AppID, keep)
		case kAppName:
			return p.str(i, &l.AppDisplayName, keep)
		case kResourceName:
			return p.str(i, &l.ResourceDisplayName, keep)
		case kClientApp:
			return p.str(i, &l.ClientAppUsed, keep)
		case kUserAgent:
			return p.str(i, &l.UserAgent, keep)
		case kIPAddress:
			return p.str(i, &l.IPAddress, keep)
		case kProtocol:
			return p.str(i, &l.AuthProtocol, keep)
		case kRiskDuring:
			return p.str(i, &l.RiskDuring, keep)
		case kRiskAggregated:
			return p.str(i, &l.RiskAggregated, keep)
		case kRiskState:
			return p.str(i, &l.RiskState, keep)
		case kASN:
			return p.num(i, &l.ASN, keep)
		case kResultType:
			return p.code(i, &l.ResultType)
		case kInteractive:
			return p.flag(i, &l.IsInteractive, keep)
		case kLocationDetails:
			return p.present(i, &l.LocationDetails)
		case kEventTypes:
			return p.strs(i, &l.EventTypes, keep)
		case kRiskTypesV2:
			return p.strs(i, &l.RiskTypesV2, keep)
		case kRiskTypes:
			return p.strs(i, &l.RiskTypes, keep)
		case kLocation:
			return p.location(i)
		case kDevice:
			return p.device(i, keep)
		case kStatus:
			return p.status(i)
		case kNetwork:
			return p.network(i, keep)
		case kSteps:
			return p.authSteps(i, keep)
		}
		return -1
	})
}

// foreign reads a key that, when set, makes the record another layout or
// kind: the pick ends there.
func (p *picker) foreign(id, i int) int {
	end := p.t.passValue(i, 1)
	if end < 0 {
		return -1
	}
	v := p.b[i:end]
	if id >= kForeignArrays {
		// "value" and "records" make a page or a wrapper only as arrays.
		if v[0] == '[' {
			return -1
		}
		return end
	}
	var set present
	if _ = set.UnmarshalJSON(v); set {
		return -1
	}
	return end
}

// str reads a string or null into dst when keep is set, and checks its
// type either way. A string with an escape, or a kept one that is not
// valid UTF-8, gives up.
func (p *picker) str(i int, dst *string, keep bool) int {
	b := p.b
	if b[i] != '"' {
		return p.null(i)
	}
	end, esc := p.t.stringEnd(i + 1)
	if end < 0 || esc {
		return -1
	}
	if keep && end > i+1 {
		if !p.t.ascii && !ascii(b[i+1:end]) && !utf8.Valid(b[i+1:end]) {
			return -1
		}
		*dst = unsafe.String(&b[i+1], end-i-1)
		p.size += end - i - 1
	}
	return end + 1
}

// ascii reports whether s holds only ASCII bytes.
func ascii(s []byte) bool {
	for _, c := range s {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// value returns the text of the value at i, checked, or nil.
func (p *picker) value(i int) []byte {
	end := p.t.passValue(i, 1)
	if end < 0 {
		return nil
	}
	return p.b[i:end]
}

// num reads a number as jnum does, into dst when keep is set; it checks
// the value either way. (A generic reader for both num and flag made its
// scratch value escape: one allocation per number read.)
func (p *picker) num(i int, dst *jnum, keep bool) int {
	v := p.value(i)
	var x jnum
	if v == nil || x.UnmarshalJSON(v) != nil {
		return -1
	}
	if keep {
		*dst = x
	}
	return i + len(v)
}

// code reads resultType as jcode does.
func (p *picker) code(i int, dst *jcode) int {
	v := p.value(i)
	if v == nil || dst.UnmarshalJSON(v) != nil {
		return -1
	}
	return i + len(v)
}

// flag reads a boolean as jflag does, into dst when keep is set; it
// checks the value either way.
func (p *picker) flag(i int, dst *jflag, keep bool) int {
	v := p.value(i)
	var x jflag
	if v == nil || x.UnmarshalJSON(v) != nil {
		return -1
	}
	if keep {
		*dst = x
	}
	return i + len(v)
}

// present notes a value as present does.
func (p *picker) present(i int, dst *present) int {
	v := p.value(i)
	if v == nil {
		return -1
	}
	_ = dst.UnmarshalJSON(v)
	return i + len(v)
}

// boolean reads true, false or null (which leaves dst alone).
func (p *picker) boolean(i int, dst *bool, keep bool) int {
	end := literalEnd(p.b, i)
	if end < 0 {
		return -1
	}
	if keep && p.b[i] != 'n' {
		*dst = p.b[i] == 't'
	}
	return end
}

// strs reads an array of strings (a null element reads as "") or null
// into a new slice.
func (p *picker) strs(i int, dst *[]string, keep bool) int {
	var out []string
	end := p.strsInto(i, &out, keep)
	if end >= 0 && keep {
		*dst = out
	}
	return end
}

// strsInto appends the strings of the array at i (or nothing, for null)
// to *out when keep is set.
func (p *picker) strsInto(i int, out *[]string, keep bool) int {
	b := p.b
	if b[i] == 'n' {
		return p.null(i)
	}
	if b[i] != '[' {
		return -1
	}
	return p.elements(i, 2, func(i int) int {
		if !keep {
			return p.str(i, nil, false)
		}
		*out = append(*out, "")
		return p.str(i, &(*out)[len(*out)-1], true)
	})
}

// null passes a null, the only other value a typed field accepts.
func (p *picker) null(i int) int {
	if literalEnd(p.b, i) == i+4 && p.b[i] == 'n' {
		return i + 4
	}
	return -1
}

// object checks that the value at i is an object or null, and walks it.
func (p *picker) object(i, depth int, t *keyTable, value func(id, i int) int) int {
	switch p.b[i] {
	case 'n':
		return p.null(i)
	case '{':
		return p.members(i, depth, t, value)
	}
	return -1
}

// location reads location: the country (FieldCountry), the city and the
// coordinates (FieldCoords).
func (p *picker) location(i int) int {
	l := &p.body.Location
	country, coords := p.fields.Has(entra.FieldCountry), p.fields.Has(entra.FieldCoords)
	return p.object(i, 2, locationKeys, func(id, i int) int {
		switch id {
		case 0:
			return p.str(i, &l.City, coords)
		case 1:
			return p.str(i, &l.Country, country)
		case 2:
			return p.str(i, &l.Country2, country)
		}
		return p.object(i, 3, geoKeys, func(id, i int) int {
			if id == 0 {
				return p.num(i, &l.Geo.Lat, coords)
			}
			return p.num(i, &l.Geo.Lon, coords)
		})
	})
}

// device reads deviceDetail.
func (p *picker) device(i int, keep bool) int {
	d := &p.body.Device
	return p.object(i, 2, deviceKeys, func(id, i int) int {
		switch id {
		case 0:
			return p.str(i, &d.ID, keep)
		case 1:
			return p.boolean(i, &d.IsCompliant, keep)
		}
		return p.boolean(i, &d.IsManaged, keep)
	})
}

// status reads the error code (FieldBase) and additionalDetails
// (FieldAuth).
func (p *picker) status(i int) int {
	s := &p.body.Status
	return p.object(i, 2, statusKeys, func(id, i int) int {
		if id == 0 {
			return p.num(i, &s.Code, true)
		}
		return p.str(i, &s.Details, p.fields.Has(entra.FieldAuth))
	})
}

// network reads networkLocationDetails into the picker's own buffer.
func (p *picker) network(i int, keep bool) int {
	if p.b[i] == 'n' {
		return p.null(i)
	}
	if p.b[i] != '[' {
		return -1
	}
	end := p.elements(i, 2, func(i int) int {
		p.nets = append(p.nets, fastNet{})
		p.spans = append(p.spans, [2]int{len(p.names), len(p.names)})
		n := &p.nets[len(p.nets)-1]
		return p.object(i, 3, networkKeys, func(id, i int) int {
			if id == 0 {
				return p.str(i, &n.Type, keep)
			}
			start := len(p.names)
			end := p.strsInto(i, &p.names, keep)
			p.spans[len(p.spans)-1] = [2]int{start, len(p.names)}
			return end
		})
	})
	if end >= 0 && keep {
		// The names were appended to one buffer; slice it once it is whole.
		for k, sp := range p.spans {
			if sp[1] > sp[0] {
				p.nets[k].Names = p.names[sp[0]:sp[1]:sp[1]]
			}
		}
		p.body.Network = p.nets
	}
	return end
}

// authSteps reads authenticationDetails into the picker's own buffer.
func (p *picker) authSteps(i int, keep bool) int {
	if p.b[i] == 'n' {
		return p.null(i)
	}
	if p.b[i] != '[' {
		return -1
	}
	end := p.elements(i, 2, func(i int) int {
		p.steps = append(p.steps, leanStep{})
		st := &p.steps[len(p.steps)-1]
		return p.object(i, 3, stepKeys, func(id, i int) int {
			if id == 0 {
				return p.boolean(i, &st.Succeeded, keep)
			}
			return p.str(i, &st.ResultDetail, keep)
		})
	})
	if end >= 0 && keep {
		p.body.Steps = p.steps
	}
	return end
}
