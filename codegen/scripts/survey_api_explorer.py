#!/usr/bin/env python3
# Survey of defect classes in Huawei API Explorer definitions (one JSON file per
# operation): python3 survey_api_explorer.py DIR, where DIR holds one folder per
# service. Prints each class with its count and two example locations.
# Used to decide what `codegen import` repairs and what it reports.
import json,glob,collections,re,sys
C=collections.Counter
c=collections.defaultdict(C)
samples=collections.defaultdict(list)
def note(k,v,f,ptr):
    c[k][v]+=1
    if len(samples[(k,v)])<2: samples[(k,v)].append(f.split('/',1)[1]+' '+ptr)
def esc(k): return k.replace('~','~0').replace('/','~1')
VALID={'string','integer','number','boolean','array','object','file'}
def schema(s,ptr,f,d):
    if not isinstance(s,dict): note('schema_not_object',type(s).__name__,f,ptr); return
    if '$ref' in s:
        r=s['$ref']; m=re.match(r'#/(\w+)/(.*)',r) if isinstance(r,str) else None
        if not m: note('ref_form',repr(r),f,ptr)
        else:
            sec,name=m.groups()
            if sec!='definitions': note('ref_section',sec,f,ptr)
            elif name not in (d.get('definitions') or {}): note('ref_dangling',sec,f,ptr)
        sib=sorted(k for k in s if k!='$ref')
        if sib: note('ref_siblings',str(sib),f,ptr)
    t=s.get('type')
    if t is not None:
        if not isinstance(t,str): note('type_nonstr',repr(t),f,ptr)
        elif t not in VALID: note('type_bad',(t,s.get('format')),f,ptr)
        else: note('type_ok',(t,s.get('format')),f,ptr)
    if 'format' in s and t in ('string',) and s['format'] not in ('date-time','date','byte','binary','password','uri','email','uuid',None): note('string_format',s['format'],f,ptr)
    if 'required' in s and not isinstance(s['required'],list): note('required_nonlist',repr(s['required']),f,ptr)
    if isinstance(s.get('required'),list) and isinstance(s.get('properties'),dict):
        for r in s['required']:
            if r not in s['properties']: note('required_missing_prop','',f,ptr+' '+r)
    if isinstance(s.get('required'),list) and len(set(s['required']))!=len(s['required']): note('required_dup','',f,ptr)
    if 'properties' in s and t not in (None,'object'): note('props_on_nonobject',t,f,ptr)
    if 'items' in s and t!='array': note('items_on_nonarray',t,f,ptr)
    if t=='array' and 'items' not in s: note('array_without_items','',f,ptr)
    for k in ('x-nullable','discriminator','readOnly','allOf','oneOf','anyOf','additionalProperties','enum','default','example','minimum','maximum','exclusiveMinimum','exclusiveMaximum','multipleOf','pattern','minLength','maxLength','minItems','maxItems','uniqueItems','title','xml','externalDocs','x-order'):
        if k in s: note('kw',k,f,ptr)
    for k in s:
        if k not in ('$ref','type','format','description','properties','items','required','x-nullable','discriminator','readOnly','allOf','oneOf','anyOf','additionalProperties','enum','default','example','minimum','maximum','exclusiveMinimum','exclusiveMaximum','multipleOf','pattern','minLength','maxLength','minItems','maxItems','uniqueItems','title'):
            note('schema_unknown_key',k,f,ptr)
    if 'enum' in s and t and isinstance(s['enum'],list):
        for e in s['enum']:
            if t=='string' and not isinstance(e,str): note('enum_type_mismatch',(t,type(e).__name__),f,ptr); break
            if t=='integer' and not isinstance(e,int): note('enum_type_mismatch',(t,type(e).__name__),f,ptr); break
    if 'default' in s and t:
        e=s['default']
        if (t=='integer' and not isinstance(e,int)) or (t=='string' and not isinstance(e,str)) or (t=='boolean' and not isinstance(e,bool)): note('default_type_mismatch',(t,type(e).__name__),f,ptr)
    if 'example' in s and t:
        e=s['example']
        if (t=='integer' and not isinstance(e,int)) or (t=='string' and not isinstance(e,str)) or (t=='boolean' and not isinstance(e,bool)) or (t=='object' and not isinstance(e,dict)) or (t=='array' and not isinstance(e,list)): note('example_type_mismatch',(t,type(e).__name__),f,ptr)
    for k in ('minimum','maximum','minLength','maxLength','minItems','maxItems'):
        if k in s and not isinstance(s[k],(int,float)): note('bound_nonnum',(k,type(s[k]).__name__),f,ptr)
    if isinstance(s.get('exclusiveMaximum'),(int,float)) and not isinstance(s.get('exclusiveMaximum'),bool): note('exclusive_numeric','',f,ptr)
    if isinstance(s.get('properties'),dict):
        for k,v in s['properties'].items(): schema(v,ptr+'/properties/'+esc(k),f,d)
    elif 'properties' in s: note('props_nondict',repr(s['properties'])[:20],f,ptr)
    if 'items' in s: schema(s['items'],ptr+'/items',f,d)
    if isinstance(s.get('additionalProperties'),dict): schema(s['additionalProperties'],ptr+'/additionalProperties',f,d)
    for k in ('allOf','oneOf','anyOf'):
        for i,x in enumerate(s.get(k) or []): schema(x,ptr+f'/{k}/{i}',f,d)

def param(p,ptr,f,d):
    if '$ref' in p:
        r=p['$ref']; m=re.match(r'#/parameters/(.*)',r)
        if not m: note('param_ref_form',r,f,ptr); return None
        tgt=(d.get('parameters') or {}).get(m.group(1))
        if tgt is None: note('param_ref_dangling','',f,ptr); return None
        return tgt
    return p

svc_defs=collections.defaultdict(dict); svc_pm=collections.defaultdict(dict); svc_ops=collections.defaultdict(dict)
for f in sorted(glob.glob(sys.argv[1]+'/*/*.json')):
    svc=f.split('/')[-2]
    text=open(f).read()
    if text.strip() in ('{}',''): note('empty_file','',f,'#'); continue
    d=json.loads(text)
    for k in ('openapi','swagger'):
        if k in d: note('version_key',k,f,'#')
    if d.get('components'): note('has_components','',f,'#')
    for k in ('consumes','produces'):
        if k in d and isinstance(d[k],str): note('json_encoded_str',k,f,'#/'+k)
    if d.get('security_definitions'): note('secdefs','',f,'#')
    for n,s in d['definitions'].items():
        schema(s,'#/definitions/'+esc(n),f,d)
        prev=svc_defs[svc].get(n)
        if prev is None: svc_defs[svc][n]=(json.dumps(s,sort_keys=True),f)
        elif prev[0]!=json.dumps(s,sort_keys=True): note('def_name_clash',svc,f,'#/definitions/'+esc(n))
        else: note('def_name_identical',svc,f,'#/definitions/'+esc(n))
    for n,p in d['parameters'].items():
        pass
    # unused top-level definitions
    refs=set(re.findall(r'"#/definitions/([^"]+)"',text))
    for n in d['definitions']:
        if n not in refs: note('def_unused','',f,'#/definitions/'+esc(n))
    for path,item in d['paths'].items():
        for m,op in item.items():
            pp='#/paths/'+esc(path)+'/'+m
            key=(m,path)
            if key in svc_pm[svc]: note('dup_path_method',svc,f,pp+' also in '+svc_pm[svc][key])
            else: svc_pm[svc][key]=f.split('/')[-1]
            oid=op.get('operationId')
            if not oid: note('opid_missing','',f,pp)
            elif oid!=d['name']: note('opid_ne_name','',f,pp+f' {oid} vs {d["name"]}')
            if oid in svc_ops[svc]: note('opid_dup',svc,f,pp)
            svc_ops[svc][oid]=f
            params=op.get('parameters',[])
            names=C()
            declared=set(); body=0
            for i,p0 in enumerate(params):
                p=param(p0,pp+f'/parameters/{i}',f,d)
                if p is None: continue
                names[(p.get('in'),p.get('name'))]+=1
                if p.get('in')=='path':
                    declared.add(p['name'])
                    if p.get('required') is not True: note('path_param_not_required',repr(p.get('required')),f,pp+f'/parameters/{i}')
                if p.get('in')=='body':
                    body+=1
                    if 'schema' in p: schema(p['schema'],pp+f'/parameters/{i}/schema',f,d)
                    else: note('body_no_schema','',f,pp)
                elif p.get('in') in ('query','header','path','formData'):
                    t=p.get('type')
                    if t not in VALID: note('param_type_bad',repr(t),f,pp+f'/parameters/{i}')
                    if t=='array': note('param_array',(p.get('in'),p.get('collectionFormat'),json.dumps(p.get('items'))[:60]),f,pp+f'/parameters/{i}')
                    for k in ('enum','default','x-example'):
                        if k in p and t:
                            e=p[k]
                            vals=e if k=='enum' else [e]
                            for e in vals:
                                if (t=='integer' and not isinstance(e,int)) or (t=='string' and not isinstance(e,str)) or (t=='boolean' and not isinstance(e,bool)):
                                    note('param_value_type_mismatch',(k,t,type(e).__name__),f,pp+f'/parameters/{i}'); break
                    if 'required' in p and not isinstance(p['required'],bool): note('param_required_nonbool',repr(p['required']),f,pp)
                    for k in p:
                        if k not in ('name','in','description','required','type','format','x-example','default','enum','minLength','maxLength','minimum','maximum','exclusiveMinimum','exclusiveMaximum','pattern','items','x-order','maxItems','minItems','allowEmptyValue','collectionFormat'):
                            note('param_unknown_key',k,f,pp)
                    if 'exclusiveMaximum' in p or 'exclusiveMinimum' in p: note('param_exclusive',(repr(p.get('exclusiveMinimum')),repr(p.get('exclusiveMaximum'))),f,pp+f'/parameters/{i}')
                else: note('param_in_bad',repr(p.get('in')),f,pp+f'/parameters/{i}')
            if body>1: note('multiple_body','',f,pp)
            for k,v in names.items():
                if v>1: note('dup_param',k[0],f,pp+' '+str(k))
            tmpl=set(re.findall(r'{([^}]+)}',path))
            for x in tmpl-declared: note('path_param_undeclared','',f,pp+' '+x)
            for x in declared-tmpl: note('path_param_not_in_template','',f,pp+' '+x)
            if any(p.get('in')=='formData' for p in params if isinstance(p,dict)) and body: note('body_and_formdata','',f,pp)
            for st,r in (op.get('responses') or {}).items():
                rp=pp+'/responses/'+esc(st)
                if not re.match(r'^([1-5][0-9X]{2}|default)$',st): note('response_bad_key',st[:30],f,rp); continue
                if not isinstance(r,dict): note('response_not_object',type(r).__name__,f,rp); continue
                if '$ref' in r: note('response_ref',r['$ref'],f,rp)
                if 'description' not in r: note('response_no_description','',f,rp)
                elif not r['description']: note('response_empty_description','',f,rp)
                if 'schema' in r: schema(r['schema'],rp+'/schema',f,d)
                ex=r.get('examples')
                if ex is not None:
                    if not isinstance(ex,dict): note('resp_examples_nondict',type(ex).__name__,f,rp)
                    else:
                        for mt,v in ex.items(): note('resp_example_key',(mt, type(v).__name__),f,rp)
                for k in r:
                    if k not in ('description','schema','examples','headers'): note('response_unknown_key',k,f,rp)
                if 'headers' in r: note('response_headers',json.dumps(r['headers'])[:80],f,rp)
            if not op.get('responses'): note('no_responses','',f,pp)
            for k,v in op.items():
                if k.startswith('x-request-examples'):
                    m2=re.match(r'x-request-examples-(url|description|text)?-?(\d+)$',k)
                    kind=(m2.group(1) or 'body') if m2 else 'other:'+k
                    note('req_example',(kind,type(v).__name__),f,pp+'/'+k)
            if 'security' in op: note('op_security',json.dumps(op['security']),f,pp)
            if op.get('produces'): 
                for mt in op['produces']: note('produces_mt',mt,f,pp)
            for mt in json.loads(d['consumes']) + (op.get('consumes') or []): note('consumes_mt',mt,f,pp)
for k in sorted(c):
    v=c[k]
    print('==',k, sum(v.values()))
    for a,b in v.most_common(25): print('   ',b,a, samples[(k,a)][:2])
